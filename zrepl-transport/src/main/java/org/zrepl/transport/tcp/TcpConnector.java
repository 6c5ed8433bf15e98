package org.zrepl.transport.tcp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Objects;
import org.zrepl.port.transport.Connection;
import org.zrepl.port.transport.Connector;

/** The {@code tcp} transport's dialing end ({@code address: host:port}, {@code dial_timeout}). */
public final class TcpConnector implements Connector {
  private final String host;
  private final int port;
  private final Duration dialTimeout;

  public TcpConnector(String host, int port, Duration dialTimeout) {
    this.host = Objects.requireNonNull(host, "host");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1..65535, got " + port);
    }
    this.port = port;
    this.dialTimeout = Objects.requireNonNull(dialTimeout, "dialTimeout");
    if (dialTimeout.isNegative() || dialTimeout.isZero()) {
      throw new IllegalArgumentException("dial_timeout must be positive, got " + dialTimeout);
    }
  }

  /** Parses {@code host:port} or {@code [v6]:port}. */
  public static TcpConnector of(String address, Duration dialTimeout) {
    int colon = address.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("address must be host:port, got '" + address + "'");
    }
    String host = address.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(address.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("address must be host:port, got '" + address + "'", e);
    }
    return new TcpConnector(host, port, dialTimeout);
  }

  @Override
  public Connection connect() throws IOException {
    Socket s = new Socket();
    try {
      s.setTcpNoDelay(true);
      s.connect(new InetSocketAddress(host, port), Math.toIntExact(dialTimeout.toMillis()));
    } catch (SocketTimeoutException e) {
      s.close();
      throw new SocketTimeoutException(
          "dialing " + describe() + " timed out after " + dialTimeout.toMillis() + " ms");
    } catch (IOException e) {
      s.close();
      throw e;
    }
    return new SocketConnection(s, "tcp " + host + ":" + port);
  }

  @Override
  public String describe() {
    return "tcp " + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
