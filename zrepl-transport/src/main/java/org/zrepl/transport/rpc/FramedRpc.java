package org.zrepl.transport.rpc;

import java.util.Objects;
import org.zrepl.port.endpoint.Receiver;
import org.zrepl.port.endpoint.Sender;
import org.zrepl.port.metrics.MetricsRegistry;
import org.zrepl.port.transport.Connector;
import org.zrepl.port.transport.Endpoints;
import org.zrepl.port.transport.Listener;
import org.zrepl.port.transport.Rpc;
import org.zrepl.port.transport.ServerLimits;

/**
 * The {@link Rpc} port over this package's framed protocol ({@link RpcClient}, {@link RpcServer}).
 */
public final class FramedRpc implements Rpc {

  private final ConnectionCloses closes;

  /** Counts nothing (tests, commands that serve no metrics). */
  public FramedRpc() {
    this.closes = ConnectionCloses.NONE;
  }

  /**
   * Counts why each connection it serves or dials is closed in {@code metrics}: {@code
   * zrepl_rpc_connections_closed_total{side,reason}} (registered here, so once per registry).
   */
  public FramedRpc(MetricsRegistry metrics) {
    this.closes = ConnectionCloses.on(Objects.requireNonNull(metrics, "metrics"));
  }

  @Override
  public Peer connect(Connector connector) {
    RpcClient client = new RpcClient(connector, closes);
    Sender sender = new RemoteSender(client);
    Receiver receiver = new RemoteReceiver(client);
    return new Peer() {
      @Override
      public Sender sender() {
        return sender;
      }

      @Override
      public Receiver receiver() {
        return receiver;
      }

      @Override
      public void stopWaiting() {
        client.stopWaiting();
      }

      @Override
      public void waitAgain() {
        client.waitAgain();
      }

      @Override
      public String describe() {
        return client.describe();
      }

      @Override
      public void close() {
        client.close();
      }
    };
  }

  @Override
  public Server serve(Listener listener, Endpoints endpoints, ServerLimits limits) {
    return new RpcServer(listener, endpoints, limits, closes).start();
  }
}
