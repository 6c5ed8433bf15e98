package org.zrepl.cli.inject;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import org.zrepl.app.logging.LogContext;
import org.zrepl.port.metrics.MetricsRegistry;
import org.zrepl.port.process.CommandRunner;
import org.zrepl.port.zfs.Zfs;
import org.zrepl.zfs.cli.CliZfs;
import org.zrepl.zfs.cli.LocalProcessLauncher;
import org.zrepl.zfs.cli.TimedProcessLauncher;
import org.zrepl.zfs.process.LocalCommandRunner;

/**
 * ZFS and hooks on this host: {@code zfs} run as a process ({@link CliZfs}, which probes the
 * installed version on first use, not when built) and hooks as local processes.
 */
public final class CliZfsModule extends AbstractModule {

  @Override
  protected void configure() {
    bind(CommandRunner.class).to(LocalCommandRunner.class);
    bind(LocalCommandRunner.class).in(Singleton.class);
  }

  @Provides
  @Singleton
  Zfs zfs(MetricsRegistry metrics) {
    return new CliZfs(
        new TimedProcessLauncher(new LocalProcessLauncher(), metrics, LogContext::currentJob));
  }
}
