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
}
