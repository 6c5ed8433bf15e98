package org.zrepl.transport.tcp;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Objects;
import org.zrepl.port.transport.Connection;

/**
 * A connected socket (plain or TLS) as a {@link Connection}. With a {@code readTimeout} (set as the
 * socket's timeout) a read that waits longer fails with a {@link SocketTimeoutException} saying who
 * was silent for how long; the socket stays usable, so a caller may choose to wait on.
 */
public record SocketConnection(Socket socket, String describe, Duration readTimeout)
    implements Connection {
  public SocketConnection {
    Objects.requireNonNull(socket, "socket");
    Objects.requireNonNull(describe, "describe");
    Objects.requireNonNull(readTimeout, "readTimeout");
    if (readTimeout.isNegative()) {
      throw new IllegalArgumentException("readTimeout must not be negative, got " + readTimeout);
    }
  }

  /** Without a read timeout. */
  public SocketConnection(Socket socket, String describe) {
    this(socket, describe, Duration.ZERO);
  }

  /** Sets {@code readTimeout} on {@code socket} and wraps it. */
  public static SocketConnection withReadTimeout(Socket socket, String describe, Duration t)
      throws IOException {
    socket.setSoTimeout(Math.toIntExact(Math.max(t.isZero() ? 0 : 1, t.toMillis())));
    return new SocketConnection(socket, describe, t);
  }

  @Override
  public InputStream in() throws IOException {
    InputStream in = socket.getInputStream();
    if (readTimeout.isZero()) {
      return in;
    }
    return new FilterInputStream(in) {
      @Override
      public int read() throws IOException {
        try {
          return super.read();
        } catch (SocketTimeoutException e) {
          throw silent(e);
        }
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        try {
          return super.read(b, off, len);
        } catch (SocketTimeoutException e) {
          throw silent(e);
        }
      }
    };
  }

  private SocketTimeoutException silent(SocketTimeoutException e) {
    SocketTimeoutException s =
        new SocketTimeoutException(
            describe + " sent nothing for " + readTimeout.toMillis() + " ms (the read timeout)");
    s.initCause(e);
    return s;
  }

  @Override
  public OutputStream out() throws IOException {
    return socket.getOutputStream();
  }

  @Override
  public void close() throws IOException {
    closeNow(socket);
  }

  /**
   * Closes without waiting: the JDK's {@code SSLSocket.close()} reads on until the peer's
   * close_notify arrives or the read timeout passes, which for a silent peer would hold the closing
   * thread for the whole read timeout.
   */
  public static void closeNow(Socket s) throws IOException {
    try {
      s.setSoTimeout(1);
    } catch (IOException e) {
      // already closed or broken: close() below is all that is left
    }
    s.close();
  }
}
