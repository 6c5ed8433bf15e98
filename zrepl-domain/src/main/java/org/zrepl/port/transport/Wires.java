package org.zrepl.port.transport;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Builds the wires of {@code connect:} and {@code serve:} blocks: {@code tcp}, {@code tls}, {@code
 * ssh+stdinserver} and the in-process {@code local} transport. TLS files are read (and their
 * validity checked against the injected clock) when a connector or listener is built; a bad file is
 * an {@link IllegalArgumentException} naming it. Listeners are bound at once.
 */
public interface Wires {

  /** {@code connect: type: tcp}. */
  Connector tcp(String address, Duration dialTimeout);

  /** {@code connect: type: tls}: the server's certificate must carry {@code serverCn}. */
  Connector tls(
      String address, String ca, String cert, String key, String serverCn, Duration dialTimeout);

  /** {@code connect: type: ssh+stdinserver}: runs {@code ssh} to the peer's stdinserver. */
  Connector ssh(
      String host,
      String user,
      int port,
      Path identityFile,
      List<String> options,
      Duration dialTimeout);

  /** {@code serve: type: tcp}: {@code clients} maps IP addresses or networks to identities. */
  Listener tcpListener(String listen, boolean freebind, Map<String, String> clients)
      throws IOException;

  /** {@code serve: type: tls}: clients identified by their certificate's CN. */
  Listener tlsListener(
      String listen,
      boolean freebind,
      String ca,
      String cert,
      String key,
      List<String> clientCns,
      Duration handshakeTimeout)
      throws IOException;

  /** {@code serve: type: stdinserver}: one socket per identity in {@code sockdir}. */
  Listener stdinserverListener(Path sockdir, List<ClientIdentity> identities) throws IOException;

  /** A new in-process listener ({@code serve: type: local}). */
  Listener localListener(String name);

  /**
   * Connects to {@code listener} (one of {@link #localListener}) as {@code identity} ({@code
   * connect: type: local}).
   */
  Connector localConnector(Listener listener, ClientIdentity identity);
}
