package org.zrepl.transport.tls;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import javax.net.ssl.SSLSocket;
import org.zrepl.port.transport.Connection;

/**
 * The connector's TLS socket. With TLS 1.3 the client's handshake is done before the server has
 * checked the client's certificate, so a refusal shows up as an alert, a broken pipe or a reset on
 * the first bytes read or written; until the server's first bytes arrive, such a failure is
 * explained as what it most likely is.
 */
final class TlsClientConnection implements Connection {
  private final SSLSocket socket;
  private final String describe;
  private final String ownCn;
  private volatile boolean heardFromServer;

  TlsClientConnection(SSLSocket socket, String describe, String ownCn) {
    this.socket = socket;
    this.describe = describe;
    this.ownCn = ownCn;
  }

  private IOException explained(IOException e) {
    return heardFromServer ? e : TlsConnector.refused(describe, ownCn, e);
  }

  @Override
  public InputStream in() throws IOException {
    return new FilterInputStream(socket.getInputStream()) {
      @Override
      public int read() throws IOException {
        try {
          int b = super.read();
          heardFromServer = true;
          return b;
        } catch (IOException e) {
          throw explained(e);
        }
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        try {
          int n = super.read(b, off, len);
          heardFromServer = true;
          return n;
        } catch (IOException e) {
          throw explained(e);
        }
      }
    };
  }

  @Override
  public OutputStream out() throws IOException {
    return new FilterOutputStream(socket.getOutputStream()) {
      @Override
      public void write(int b) throws IOException {
        try {
          out.write(b);
        } catch (IOException e) {
          throw explained(e);
        }
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        try {
          out.write(b, off, len);
        } catch (IOException e) {
          throw explained(e);
        }
      }

      @Override
      public void flush() throws IOException {
        try {
          out.flush();
        } catch (IOException e) {
          throw explained(e);
        }
      }
    };
  }

  @Override
  public String describe() {
    return describe;
  }

  @Override
  public void close() throws IOException {
    org.zrepl.transport.tcp.SocketConnection.closeNow(socket);
  }
}
