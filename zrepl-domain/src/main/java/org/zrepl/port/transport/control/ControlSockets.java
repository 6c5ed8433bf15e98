package org.zrepl.port.transport.control;

import java.nio.file.Path;

/** The daemon's control socket, and the check that a socket directory is private. */
public interface ControlSockets {

  /**
   * Binds {@code socket} (its directory checked private, a stale socket replaced) and answers
   * requests through {@code handler}; throws {@link ControlException} when it cannot.
   */
  ControlSocket serve(Path socket, ControlHandler handler);

  /**
   * Creates {@code dir} accessible by its owner only if missing; throws {@link ControlException} if
   * it exists and others can enter it.
   */
  void ensurePrivate(Path dir);

  /** A served control socket. */
  interface ControlSocket extends AutoCloseable {
    /** Where it listens. */
    Path socket();

    /** Stops accepting and removes the socket file. */
    @Override
    void close();
  }
}
