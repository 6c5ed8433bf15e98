package org.zrepl.cli.inject;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import java.util.Objects;
import java.util.function.Supplier;
import org.zrepl.port.process.CommandRunner;
import org.zrepl.port.zfs.Zfs;
import org.zrepl.zfs.process.LocalCommandRunner;

/**
 * For tests: the ZFS a test supplies (a fake, or a pool fixture's), asked for only when a command
 * needs it, so a test can supply one that fails when touched; hooks as local processes. Binds the
 * same keys as {@link CliZfsModule}.
 */
public final class SuppliedZfsModule extends AbstractModule {

  private final Supplier<Zfs> zfs;

  public SuppliedZfsModule(Supplier<Zfs> zfs) {
    this.zfs = Objects.requireNonNull(zfs, "zfs");
  }

  @Override
  protected void configure() {
    bind(CommandRunner.class).toInstance(new LocalCommandRunner());
  }

  @Provides
  Zfs zfs() {
    return zfs.get();
  }

  /**
   * The production module set with ZFS from {@code zfs}, time from {@code clock} and real waiting.
   */
  public static Wiring wiring(Supplier<Zfs> zfs, java.time.Clock clock) {
    return Wiring.of(
        java.util.List.of(
            new HostModule(clock, org.zrepl.app.replication.Sleeper.system()),
            new SuppliedZfsModule(zfs),
            new TransportModule(),
            new LogOutletsModule(),
            new MetricsModule(),
            new AppModule()));
  }
}
