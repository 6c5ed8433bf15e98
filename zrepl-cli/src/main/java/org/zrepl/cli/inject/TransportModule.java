package org.zrepl.cli.inject;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import java.time.Clock;
import org.zrepl.port.metrics.MetricsRegistry;
import org.zrepl.port.transport.Rpc;
import org.zrepl.port.transport.Wires;
import org.zrepl.port.transport.control.ControlSockets;
import org.zrepl.transport.control.UnixControlSockets;
import org.zrepl.transport.rpc.FramedRpc;
import org.zrepl.transport.wires.NetworkWires;

/**
 * The transports: the wires of {@code connect:}/{@code serve:} (tcp, tls, ssh+stdinserver, local),
 * zrepl's framed RPC over them, and the control socket.
 */
public final class TransportModule extends AbstractModule {

  @Override
  protected void configure() {
    bind(ControlSockets.class).to(UnixControlSockets.class);
    bind(UnixControlSockets.class).in(Singleton.class);
  }

  /** The RPC counts its connections' closes in the daemon's metrics. */
  @Provides
  @Singleton
  Rpc rpc(MetricsRegistry metrics) {
    return new FramedRpc(metrics);
  }

  @Provides
  @Singleton
  Wires wires(Clock clock) {
    return new NetworkWires(clock);
  }
}
