package org.zrepl.port.transport;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** One established byte stream between two zrepl processes, before the handshake. */
public interface Connection extends Closeable {
  InputStream in() throws IOException;

  OutputStream out() throws IOException;

  /** The peer as people read it: {@code tcp 192.0.2.1:52431 (laptop)}. */
  String describe();

  @Override
  void close() throws IOException;

  /**
   * Closes the connection after this side told the peer, in the protocol, that it ends it and why
   * (a request turned away unserved at a connection limit): an orderly end. A wire that reports to
   * the peer how its session ended (ssh+stdinserver's verdict, which the peer's ssh prints) reports
   * this one as such, not as an error; the others just close.
   */
  default void closeAfterFarewell() throws IOException {
    close();
  }
}
