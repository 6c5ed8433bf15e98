package org.zrepl.transport.wires;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.zrepl.port.transport.ClientIdentity;
import org.zrepl.port.transport.Connector;
import org.zrepl.port.transport.Listener;
import org.zrepl.port.transport.Wires;
import org.zrepl.transport.local.LocalConnector;
import org.zrepl.transport.local.LocalListener;

/**
 * Only the in-process {@code local} wire, for a whole daemon in one JVM without sockets (tests,
 * demos): the network wires are refused with an {@link UnsupportedOperationException} naming them,
 * as {@code Transports} refuses an unknown wire.
 */
public final class LocalWires implements Wires {

  @Override
  public Connector tcp(String address, Duration dialTimeout) {
    throw refused("tcp");
  }

  @Override
  public Connector tls(
      String address, String ca, String cert, String key, String serverCn, Duration dialTimeout) {
    throw refused("tls");
  }

  @Override
  public Connector ssh(
      String host,
      String user,
      int port,
      Path identityFile,
      List<String> options,
      Duration dialTimeout) {
    throw refused("ssh+stdinserver");
  }

  @Override
  public Listener tcpListener(String listen, boolean freebind, Map<String, String> clients) {
    throw refused("tcp");
  }

  @Override
  public Listener tlsListener(
      String listen,
      boolean freebind,
      String ca,
      String cert,
      String key,
      List<String> clientCns,
      Duration handshakeTimeout) {
    throw refused("tls");
  }

  @Override
  public Listener stdinserverListener(Path sockdir, List<ClientIdentity> identities) {
    throw refused("stdinserver");
  }

  @Override
  public Listener localListener(String name) {
    return new LocalListener(name);
  }

  @Override
  public Connector localConnector(Listener listener, ClientIdentity identity) {
    if (!(listener instanceof LocalListener l)) {
      throw new IllegalArgumentException(
          "a local connector needs a local listener, got " + listener.describe());
    }
    return new LocalConnector(l, identity);
  }

  private static UnsupportedOperationException refused(String wire) {
    return new UnsupportedOperationException(
        "the in-process wires offer only type local, not " + wire);
  }
}
