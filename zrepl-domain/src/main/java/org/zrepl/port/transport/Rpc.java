package org.zrepl.port.transport;

import java.io.Closeable;
import java.io.IOException;
import java.util.Optional;
import org.zrepl.port.endpoint.Receiver;
import org.zrepl.port.endpoint.Sender;

/**
 * zrepl's framed RPC over a wire: the active side reaches its peer's endpoints through a {@link
 * Peer}; the passive side serves its {@link Endpoints} on a {@link Listener}.
 */
public interface Rpc {

  /** The peer behind {@code connector}; connections are dialled on the first call. */
  Peer connect(Connector connector);

  /** Serves {@code endpoints} on {@code listener} until the returned server is closed. */
  default Server serve(Listener listener, Endpoints endpoints) {
    return serve(listener, endpoints, ServerLimits.DEFAULTS);
  }

  /** As {@link #serve(Listener, Endpoints)}, granting clients what {@code limits} allow. */
  Server serve(Listener listener, Endpoints endpoints, ServerLimits limits);

  /** The remote endpoints of one peer, over connections this object owns. */
  interface Peer extends Closeable {
    /** The peer's sender (a pull job replicates from it). */
    Sender sender();

    /** The peer's receiver (a push job replicates to it). */
    Receiver receiver();

    /**
     * Ends the waits for the peer to take calls it turned away unserved (at its connection limit):
     * each call waiting for that throws the refusal now, and until {@link #waitAgain()} a refused
     * call throws it at once instead of waiting. A job's {@code zrepl signal reset} does this, so
     * that its run ends now instead of when the peer serves it.
     */
    void stopWaiting();

    /** Lets refused calls wait for the peer again (the job's next run). */
    void waitAgain();

    /** Where the peer is, for messages: {@code tcp backup.example:8888}. */
    String describe();

    /** Closes the connections; calls in progress fail. */
    @Override
    void close();
  }

  /** A running server. */
  interface Server extends Closeable {
    /** Why its accept loop stopped, if it failed (the listener broke). */
    Optional<String> failure();

    /** Stops accepting and closes the listener and the served connections. */
    @Override
    void close() throws IOException;
  }
}
