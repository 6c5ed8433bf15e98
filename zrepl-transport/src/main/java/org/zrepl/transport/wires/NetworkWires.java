package org.zrepl.transport.wires;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.zrepl.port.transport.ClientIdentity;
import org.zrepl.port.transport.Connector;
import org.zrepl.port.transport.Listener;
import org.zrepl.port.transport.Wires;
import org.zrepl.transport.stdinserver.SshConnector;
import org.zrepl.transport.stdinserver.StdinserverListener;
import org.zrepl.transport.tcp.ClientMap;
import org.zrepl.transport.tcp.TcpConnector;
import org.zrepl.transport.tcp.TcpListener;
import org.zrepl.transport.tls.TlsConnector;
import org.zrepl.transport.tls.TlsFiles;
import org.zrepl.transport.tls.TlsListener;

/**
 * The real wires: tcp and tls sockets, {@code ssh} to a stdinserver, and in-process pipes. TLS
 * certificates are checked against {@code clock} when loaded.
 */
public final class NetworkWires implements Wires {

  private final Clock clock;
  private final LocalWires local = new LocalWires();

  public NetworkWires(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public Connector tcp(String address, Duration dialTimeout) {
    return TcpConnector.of(address, dialTimeout);
  }

  @Override
  public Connector tls(
      String address, String ca, String cert, String key, String serverCn, Duration dialTimeout) {
    return TlsConnector.of(address, TlsFiles.load(ca, cert, key, clock), serverCn, dialTimeout);
  }

  @Override
  public Connector ssh(
      String host,
      String user,
      int port,
      Path identityFile,
      List<String> options,
      Duration dialTimeout) {
    return new SshConnector("ssh", host, user, port, identityFile, options, dialTimeout);
  }

  @Override
  public Listener tcpListener(String listen, boolean freebind, Map<String, String> clients)
      throws IOException {
    return TcpListener.bind(listen, freebind, ClientMap.of(clients));
  }

  @Override
  public Listener tlsListener(
      String listen,
      boolean freebind,
      String ca,
      String cert,
      String key,
      List<String> clientCns,
      Duration handshakeTimeout)
      throws IOException {
    return TlsListener.bind(
        listen, freebind, TlsFiles.load(ca, cert, key, clock), clientCns, handshakeTimeout);
  }

  @Override
  public Listener stdinserverListener(Path sockdir, List<ClientIdentity> identities)
      throws IOException {
    return StdinserverListener.bind(sockdir, identities);
  }

  @Override
  public Listener localListener(String name) {
    return local.localListener(name);
  }

  @Override
  public Connector localConnector(Listener listener, ClientIdentity identity) {
    return local.localConnector(listener, identity);
  }
}
