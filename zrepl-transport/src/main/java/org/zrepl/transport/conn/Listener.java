package org.zrepl.transport.conn;

import java.io.Closeable;
import java.io.IOException;

/** The passive side's accept loop source (a {@code serve:} block). */
public interface Listener extends Closeable {
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
