package org.zrepl.app;

import java.time.Clock;
import org.zrepl.app.daemon.DaemonServices;
import org.zrepl.app.daemon.JobDependencies;
import org.zrepl.app.remote.Transports;
import org.zrepl.app.replication.Sleeper;
import org.zrepl.port.process.CommandRunner;
import org.zrepl.port.transport.LogSinks;
import org.zrepl.port.transport.Wires;
import org.zrepl.port.zfs.Zfs;
import org.zrepl.transport.control.UnixControlSockets;
import org.zrepl.transport.http.HttpMetricsListeners;
import org.zrepl.transport.log.NetworkLogSinks;
import org.zrepl.transport.prometheus.PrometheusMetricsRegistry;
import org.zrepl.transport.rpc.FramedRpc;
import org.zrepl.transport.wires.NetworkWires;

/**
 * The real transport adapters for the app's tests (the app's main code sees only the ports; the
 * composition root in zrepl-cli binds the same adapters).
 */
public final class TestAdapters {
  private TestAdapters() {}

  public static Wires wires(Clock clock) {
    return new NetworkWires(clock);
  }

  public static Transports transports(Clock clock) {
    return new Transports(wires(clock));
  }

  public static LogSinks logSinks(Clock clock) {
    return new NetworkLogSinks(clock);
  }

  /** Jobs over {@code zfs} and {@code hooks}, the real wires and RPC, really sleeping. */
  public static JobDependencies deps(Zfs zfs, CommandRunner hooks, Clock clock) {
    return new JobDependencies(
        zfs, hooks, clock, Sleeper.system(), new NetworkWires(clock), new FramedRpc());
  }

  public static DaemonServices services(Clock clock) {
    return new DaemonServices(
        new UnixControlSockets(),
        new HttpMetricsListeners(),
        new PrometheusMetricsRegistry(),
        new NetworkLogSinks(clock));
  }
}
