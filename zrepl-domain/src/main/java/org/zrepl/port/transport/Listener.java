package org.zrepl.port.transport;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;

/** The passive side's accept loop source (a {@code serve:} block). */
public interface Listener extends Closeable {
  /**
   * How long a served connection may wait for its client's next bytes (a request, the rest of a
   * frame, the next frame of a pushed stream) before it is dropped, unless the listener is told
   * otherwise. Generous: {@code zfs send} may pause for a while on a busy pool.
   */
  Duration DEFAULT_READ_TIMEOUT = Duration.ofMinutes(10);

  /**
   * Waits for the next client the transport can identify. Clients it cannot (an IP outside {@code
   * clients}) are refused, logged and not returned. Throws once the listener was closed.
   */
  Accepted accept() throws IOException;

  /** Where it listens, for logs. */
  String describe();

  /** A connection and the identity the transport established for it. */
  record Accepted(Connection connection, ClientIdentity identity) {
    public Accepted {
      java.util.Objects.requireNonNull(connection, "connection");
      java.util.Objects.requireNonNull(identity, "identity");
    }
  }
}
