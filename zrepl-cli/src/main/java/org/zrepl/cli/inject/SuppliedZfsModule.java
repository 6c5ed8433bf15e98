package org.zrepl.cli.inject;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import java.util.Objects;
import java.util.function.Supplier;
import org.zrepl.port.process.CommandRunner;
import org.zrepl.port.zfs.Zfs;
import org.zrepl.zfs.process.LocalCommandRunner;

/**
 * A ZFS supplied from outside instead of the {@code zfs} command (the class-data-sharing training
 * run's in-memory ZFS; in tests a fake or a pool fixture's), asked for only when a command needs
 * it, so a test can supply one that fails when touched; hooks as local processes. Binds the same
 * keys as {@link CliZfsModule}, so {@link Wiring#modules} takes either.
 */
public final class SuppliedZfsModule extends AbstractModule {

  private final Supplier<Zfs> zfs;

  public SuppliedZfsModule(Supplier<Zfs> zfs) {
    this.zfs = Objects.requireNonNull(zfs, "zfs");
  }

  @Override
  protected void configure() {
    bind(CommandRunner.class).to(LocalCommandRunner.class);
    bind(LocalCommandRunner.class).in(Singleton.class);
  }

  @Provides
  Zfs zfs() {
    return zfs.get();
  }
}
