package org.zrepl.transport.rpc;

import org.zrepl.port.transport.TransportException;

/**
 * The server turned the request away unserved: refused at a connection limit, or its connection
 * dropped (to make room at a limit, or at the first-request deadline) before the request was read.
 * Nothing of the request was done, so the client may send it again, on a new connection, whatever
 * the call: it waits and retries ({@link RpcClient}). A temporary {@link Kind#CONNECT} error for
 * code that does not know this type; on the wire a {@code CONNECT} error with {@code "notServed":
 * true} ({@link RemoteErrors}).
 */
final class NotServedException extends TransportException {
  private static final long serialVersionUID = 1L;

  /**
   * The server closed the connection before its handshake: at its limit with more refusals to
   * answer than it has threads for, or because it does not accept this client at all (a tcp address
   * not in its {@code clients}), which the client cannot tell apart; so such a close is tried again
   * only a few times.
   */
  final boolean beforeHandshake;

  NotServedException(String message) {
    this(message, false);
  }

  NotServedException(String message, boolean beforeHandshake) {
    super(Kind.CONNECT, message, null);
    this.beforeHandshake = beforeHandshake;
  }
}
