package org.zrepl.cli.inject;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import org.zrepl.app.abstraction.Abstractions;
import org.zrepl.app.daemon.ActiveSides;
import org.zrepl.app.daemon.DaemonServices;
import org.zrepl.app.daemon.JobBuilders;
import org.zrepl.app.daemon.JobDependencies;
import org.zrepl.app.inspect.InspectFilesystems;
import org.zrepl.app.inspect.InspectPlaceholders;
import org.zrepl.app.prune.PruneDryRun;

/**
 * The application over the ports the adapter modules bind: what jobs need, the one factory of the
 * active side of push and pull, the daemon's job builders and services, the offline use cases of
 * {@code zrepl test}. Unscoped on purpose: they are cheap, and a command that never asks for them
 * (configcheck, status) never builds them, so a test may bind a ZFS that must not be touched.
 */
public final class AppModule extends AbstractModule {

  @Override
  protected void configure() {
    bind(JobDependencies.class);
    bind(ActiveSides.class);
    bind(DaemonServices.class);
    bind(InspectFilesystems.class);
    bind(InspectPlaceholders.class);
    bind(PruneDryRun.class);
    bind(Abstractions.class);
  }

  @Provides
  JobBuilders jobBuilders(JobDependencies deps, ActiveSides sides) {
    return JobBuilders.standard(deps, sides);
  }
}
