package org.zrepl.cli.inject;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import java.time.Clock;
import java.time.ZoneId;
import org.zrepl.app.daemon.JobBuilders;
import org.zrepl.app.daemon.JobDependencies;
import org.zrepl.port.process.CommandRunner;
import org.zrepl.port.zfs.Zfs;
import org.zrepl.zfs.cli.CliZfs;
import org.zrepl.zfs.cli.LocalProcessLauncher;
import org.zrepl.zfs.process.LocalCommandRunner;

/** Ports bound to the real adapters: {@code zfs} on this host, hooks as local processes. */
public final class ProductionModule extends AbstractModule {

  @Override
  protected void configure() {
    // zrepl names snapshots and logs in local time, like zrepl does
    bind(Clock.class).toInstance(Clock.system(ZoneId.systemDefault()));
    bind(CommandRunner.class).to(LocalCommandRunner.class).in(Singleton.class);
    bind(JobDependencies.class).in(Singleton.class);
  }

  @Provides
  @Singleton
  Zfs zfs() {
    return new CliZfs(new LocalProcessLauncher());
  }

  @Provides
  @Singleton
  JobBuilders jobBuilders(JobDependencies deps) {
    return JobBuilders.standard(deps);
  }
}
