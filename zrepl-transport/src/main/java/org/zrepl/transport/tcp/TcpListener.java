package org.zrepl.transport.tcp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zrepl.port.transport.ClientIdentity;
import org.zrepl.port.transport.Listener;

/**
 * The {@code tcp} transport's serving end. A client's identity is looked up by its source address
 * in the {@link ClientMap}; a client not in it is logged and disconnected before a byte is read.
 */
public final class TcpListener implements Listener {
  private static final Logger LOG = LoggerFactory.getLogger(TcpListener.class);

  private final ServerSocket socket;
  private final ClientMap clients;
  private final Duration readTimeout;

  private TcpListener(ServerSocket socket, ClientMap clients, Duration readTimeout) {
    this.socket = socket;
    this.clients = clients;
    this.readTimeout = readTimeout;
  }

  /** Binds {@code address} (port 0 picks a free port, see {@link #port()}). */
  public static TcpListener bind(InetSocketAddress address, ClientMap clients) throws IOException {
    return bind(address, clients, DEFAULT_READ_TIMEOUT);
  }

  /**
   * Binds {@code address}; connections wait at most {@code readTimeout} for their client's bytes
   * ({@link Duration#ZERO}: forever).
   */
  public static TcpListener bind(InetSocketAddress address, ClientMap clients, Duration readTimeout)
      throws IOException {
    Objects.requireNonNull(clients, "clients");
    Objects.requireNonNull(readTimeout, "readTimeout");
    return new TcpListener(listen(address), clients, readTimeout);
  }

  /**
   * A server socket bound to {@code address} (address reuse on, backlog 64), for this listener and
   * the tls one; the error names the address.
   */
  public static ServerSocket listen(InetSocketAddress address) throws IOException {
    return listen(address, false);
  }

  /**
   * As {@link #listen(InetSocketAddress)}; with {@code freebind} ({@code listen_freebind}) the
   * address need not be configured on this machine (Linux {@code IP_FREEBIND}, see {@link
   * Freebind}).
   */
  public static ServerSocket listen(InetSocketAddress address, boolean freebind)
      throws IOException {
    ServerSocket s;
    try {
      s = freebind ? Freebind.serverSocket() : new ServerSocket();
    } catch (IOException e) {
      throw new IOException("cannot listen on " + hostPort(address) + ": " + e.getMessage(), e);
    }
    try {
      s.setReuseAddress(true);
      s.bind(address, 64);
    } catch (IOException e) {
      s.close();
      throw new IOException("cannot listen on " + hostPort(address) + ": " + e.getMessage(), e);
    }
    return s;
  }

  /**
   * Binds {@code listen} as written in a config: {@code host:port}, {@code [v6]:port} or {@code
   * :port} (all addresses).
   */
  public static TcpListener bind(String listen, ClientMap clients) throws IOException {
    return bind(listenAddress(listen), clients);
  }

  /** As {@link #bind(String, ClientMap)}, with {@code listen_freebind}. */
  public static TcpListener bind(String listen, boolean freebind, ClientMap clients)
      throws IOException {
    Objects.requireNonNull(clients, "clients");
    return new TcpListener(listen(listenAddress(listen), freebind), clients, DEFAULT_READ_TIMEOUT);
  }

  /**
   * Parses {@code listen} as written in a config: {@code host:port}, {@code [v6]:port} or {@code
   * :port} (all addresses).
   */
  public static InetSocketAddress listenAddress(String listen) {
    int colon = listen.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("listen must be host:port or :port, got '" + listen + "'");
    }
    String host = listen.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(listen.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("listen must be host:port or :port, got '" + listen + "'");
    }
    return host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
  }

  public int port() {
    return socket.getLocalPort();
  }

  @Override
  public Listener.Accepted accept() throws IOException {
    while (true) {
      Socket s = socket.accept();
      InetSocketAddress peer = (InetSocketAddress) s.getRemoteSocketAddress();
      Optional<ClientIdentity> id = clients.identify(peer.getAddress());
      if (id.isEmpty()) {
        LOG.warn(
            "{}: refused connection from {}: address not in 'clients'",
            describe(),
            peer.getAddress().getHostAddress());
        s.close();
        continue;
      }
      s.setTcpNoDelay(true);
      return new Listener.Accepted(
          SocketConnection.withReadTimeout(s, "tcp " + hostPort(peer), readTimeout), id.get());
    }
  }

  @Override
  public String describe() {
    return "tcp listener " + hostPort((InetSocketAddress) socket.getLocalSocketAddress());
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  /** {@code 192.0.2.1:8888} or {@code [2001:db8::1]:8888}. */
  public static String hostPort(InetSocketAddress a) {
    String host = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
  }
}
