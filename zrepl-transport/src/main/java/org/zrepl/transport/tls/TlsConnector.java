package org.zrepl.transport.tls;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.zrepl.port.transport.Connection;
import org.zrepl.port.transport.Connector;
import org.zrepl.transport.tcp.SocketConnection;
import org.zrepl.transport.tcp.TcpConnector;

/**
 * The {@code tls} transport's dialing end: TCP to {@code address}, then a TLS handshake presenting
 * this side's certificate and requiring the server's to chain to the CA file and name {@code
 * server_cn}; {@code dial_timeout} bounds both.
 */
public final class TlsConnector implements Connector {
  private final TcpConnector tcp;
  private final String host;
  private final int port;
  private final SSLSocketFactory factory;
  private final String ownCn;
  private final Duration dialTimeout;

  private TlsConnector(
      TcpConnector tcp,
      String host,
      int port,
      TlsFiles files,
      String serverCn,
      Duration dialTimeout) {
    this.tcp = tcp;
    this.host = host;
    this.port = port;
    this.factory = files.context(PeerCheck.serverNamed(serverCn)).getSocketFactory();
    this.ownCn = files.commonName();
    this.dialTimeout = dialTimeout;
  }

  /** {@code address} is {@code host:port} or {@code [v6]:port}. */
  public static TlsConnector of(
      String address, TlsFiles files, String serverCn, Duration dialTimeout) {
    Objects.requireNonNull(files, "files");
    Objects.requireNonNull(serverCn, "serverCn");
    if (serverCn.isEmpty()) {
      throw new IllegalArgumentException("server_cn must not be empty");
    }
    TcpConnector tcp = TcpConnector.of(address, dialTimeout);
    int colon = address.lastIndexOf(':');
    String host = address.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port = Integer.parseInt(address.substring(colon + 1));
    return new TlsConnector(tcp, host, port, files, serverCn, dialTimeout);
  }

  @Override
  public Connection connect() throws IOException {
    long deadline = System.nanoTime() + dialTimeout.toNanos();
    SocketConnection plain = (SocketConnection) tcp.connect();
    Socket s = plain.socket();
    try {
      SSLSocket t = (SSLSocket) factory.createSocket(s, host, port, true);
      t.setUseClientMode(true);
      t.setEnabledProtocols(TlsFiles.PROTOCOLS.clone());
      t.setEnabledCipherSuites(TlsFiles.preferAes128Gcm(t.getEnabledCipherSuites()));
      long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
      t.setSoTimeout(Math.toIntExact(left));
      try {
        t.startHandshake();
      } catch (SocketTimeoutException e) {
        throw new SocketTimeoutException(
            "TLS handshake with "
                + describe()
                + " did not finish within dial_timeout "
                + dialTimeout);
      } catch (IOException e) {
        if (ownVerdict(e)) {
          throw new SSLException("TLS handshake with " + describe() + " failed: " + reason(e), e);
        }
        throw refused(describe(), ownCn, e);
      }
      t.setSoTimeout(0);
      return new TlsClientConnection(t, describe(), ownCn);
    } catch (IOException | RuntimeException e) {
      s.close();
      throw e;
    }
  }

  @Override
  public String describe() {
    return "tls " + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  /**
   * The server broke off the handshake. With a TLS alert it does not accept our certificate; when
   * it just closed the connection it may also have been too busy to finish the handshake before its
   * deadline, and the message must not blame the certificate alone.
   */
  static SSLException refused(String server, String ownCn, IOException e) {
    String certificate =
        "its ca must have signed this side's certificate (CN '"
            + ownCn
            + "') and its client_cns must list '"
            + ownCn
            + "'";
    String why =
        closedWithoutAlert(e)
            ? "either "
                + certificate
                + ", or it did not finish the handshake within its serve handshake_timeout (a busy"
                + " server)"
            : certificate;
    return new SSLException(
        server
            + " refused the TLS handshake ("
            + e.getMessage()
            + "): "
            + why
            + " (the server's log says which)",
        e);
  }

  /** The peer closed or reset the connection instead of sending a TLS alert. */
  static boolean closedWithoutAlert(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      String m = String.valueOf(c.getMessage());
      if (m.contains("Received fatal alert")) {
        return false;
      }
      if (c instanceof java.io.EOFException
          || c instanceof java.net.SocketException
          || m.contains("Remote host terminated")) {
        return true;
      }
    }
    return false;
  }

  private static boolean ownVerdict(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof PeerCheck.Rejected) {
        return true;
      }
    }
    return false;
  }

  /** The most telling message in {@code e}'s causes: our own certificate verdict if any. */
  static String reason(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof PeerCheck.Rejected) {
        return c.getMessage();
      }
    }
    return String.valueOf(e.getMessage());
  }
}
