package org.zrepl.port.transport;

import java.io.IOException;

/** The active side's way to reach its peer (a {@code connect:} block). */
public interface Connector {
  /** Dials a new connection; fails within the connector's dial timeout. */
  Connection connect() throws IOException;

  /** The target as people read it: {@code tcp backup.example:8888}. */
  String describe();
}
