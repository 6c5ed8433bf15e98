package org.zrepl.transport.tcp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Objects;
import org.zrepl.transport.conn.Connection;

/** A connected socket (plain or TLS) as a {@link Connection}. */
public record SocketConnection(Socket socket, String describe) implements Connection {
  public SocketConnection {
    Objects.requireNonNull(socket, "socket");
    Objects.requireNonNull(describe, "describe");
  }

  @Override
  public InputStream in() throws IOException {
    return socket.getInputStream();
  }

  @Override
  public OutputStream out() throws IOException {
    return socket.getOutputStream();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
