package org.zrepl.cli.inject;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import com.google.inject.Singleton;
import java.time.Clock;
import java.util.List;
import org.zrepl.app.replication.Sleeper;
import org.zrepl.port.process.CommandRunner;
import org.zrepl.port.transport.Rpc;
import org.zrepl.port.transport.Wires;
import org.zrepl.port.transport.control.ControlSockets;
import org.zrepl.port.zfs.Zfs;
import org.zrepl.transport.control.UnixControlSockets;
import org.zrepl.transport.rpc.FramedRpc;
import org.zrepl.transport.wires.LocalWires;
import org.zrepl.zfs.fake.InMemoryZfs;

/**
 * The test module set: the production app module over an in-memory ZFS and the in-process {@code
 * local} wire, bound to the same keys as {@link CliZfsModule} and {@link TransportModule}.
 */
final class InMemoryModules {
  private InMemoryModules() {}

  static List<Module> of(InMemoryZfs zfs, Clock clock, CommandRunner hooks) {
    return List.of(
        new HostModule(clock, Sleeper.system()),
        new InMemoryZfsModule(zfs, hooks),
        new InProcessTransportModule(),
        new LogOutletsModule(),
        new MetricsModule(),
        new AppModule());
  }

  /** ZFS in memory; hooks through the given runner. */
  static final class InMemoryZfsModule extends AbstractModule {
    private final InMemoryZfs zfs;
    private final CommandRunner hooks;

    InMemoryZfsModule(InMemoryZfs zfs, CommandRunner hooks) {
      this.zfs = zfs;
      this.hooks = hooks;
    }

    @Override
    protected void configure() {
      bind(Zfs.class).toInstance(zfs);
      bind(CommandRunner.class).toInstance(hooks);
    }
  }

  /** Only the in-process wire; the same RPC and control socket as production. */
  static final class InProcessTransportModule extends AbstractModule {
    @Override
    protected void configure() {
      bind(Wires.class).to(LocalWires.class);
      bind(LocalWires.class).in(Singleton.class);
      bind(Rpc.class).to(FramedRpc.class);
      bind(FramedRpc.class).in(Singleton.class);
      bind(ControlSockets.class).to(UnixControlSockets.class);
      bind(UnixControlSockets.class).in(Singleton.class);
    }
  }
}
