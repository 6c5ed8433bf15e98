package org.zrepl.transport.rpc;

import java.io.EOFException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Locale;
import org.zrepl.port.metrics.MetricsRegistry;
import org.zrepl.transport.frame.ProtocolException;

/**
 * Counts why framed RPC connections were closed, on the server and on the client side: {@code
 * zrepl_rpc_connections_closed_total{side,reason}}. zrepl's {@code zrepl_frameconn_shutdown_*}
 * metrics time and count the steps of its graceful shutdown (a reset frame, a write-side close, a
 * drain); our wire has no such dance (a connection is closed once, by either side), so what is
 * worth counting is the cause, and only causes this side can tell apart (docs/metrics.md).
 */
final class ConnectionCloses {

  /** Closes are not counted (tests, and commands without a metrics listener). */
  static final ConnectionCloses NONE = new ConnectionCloses(null);

  /** Which end of the connection counted the close. */
  enum Side {
    SERVER,
    CLIENT;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Why a connection was closed; the label is what the scrape shows. */
  enum Reason {
    /** Server: the client hung up between requests. Client: done with it (pool full, closed). */
    DONE,
    /** Client: a pooled connection older than the client's maximum idle age, closed unused. */
    IDLE_AGE,
    /** Client: the server had closed it while it was idle in the pool. */
    PEER_CLOSED_IDLE,
    /** Client: closed with the rest of the pool when one pooled connection was found dead. */
    POOL_FLUSHED,
    /** Client: the server answered an error after which it closes the connection. */
    REMOTE_ERROR,
    /** Client: the server closed the connection instead of answering. */
    PEER_CLOSED,
    /** Server deadlines ({@code serve.limits}), enforced by the server's watchdog. */
    FIRST_REQUEST_TIMEOUT,
    HEADER_TIMEOUT,
    IDLE_TIMEOUT,
    WRITE_TIMEOUT,
    /** The listener's read timeout ended a read. */
    READ_TIMEOUT,
    /** Server: closed to admit a newcomer at {@code max_connections(_per_client)}. */
    EVICTED,
    /** Server: turned away at a connection limit (never served). */
    REFUSED,
    /** Server: the server stopped (job removed, daemon stopping). */
    SERVER_STOPPED,
    /** Bad frame, JSON, version or call on the wire. */
    PROTOCOL_ERROR,
    /** The peer closed the connection in the middle of a frame. */
    EOF_MID_FRAME,
    /** The peer reset the connection (ECONNRESET). */
    PEER_RESET,
    /** Any other I/O failure. */
    IO_ERROR;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final MetricsRegistry.Counter closed;

  private ConnectionCloses(MetricsRegistry.Counter closed) {
    this.closed = closed;
  }

  /** Registers the counter on {@code r}; once per registry. */
  static ConnectionCloses on(MetricsRegistry r) {
    return new ConnectionCloses(
        r.counter(
            "zrepl_rpc_connections_closed_total",
            "framed RPC connections closed, by the side that counted and why it was closed",
            "side",
            "reason"));
  }

  void count(Side side, Reason reason) {
    if (closed != null) {
      closed.inc(side.label(), reason.label());
    }
  }

  /** The reason a connection failed with {@code e}, as far as the exception tells. */
  static Reason of(Throwable e) {
    if (e instanceof RpcClient.PeerClosedException) {
      return Reason.PEER_CLOSED;
    }
    if (e instanceof ProtocolException) {
      return Reason.PROTOCOL_ERROR;
    }
    if (e instanceof SocketTimeoutException) {
      return Reason.READ_TIMEOUT;
    }
    if (e instanceof EOFException) {
      return Reason.EOF_MID_FRAME;
    }
    if (e instanceof SocketException s
        && s.getMessage() != null
        && s.getMessage().startsWith("Connection reset")) {
      return Reason.PEER_RESET;
    }
    return Reason.IO_ERROR;
  }
}
