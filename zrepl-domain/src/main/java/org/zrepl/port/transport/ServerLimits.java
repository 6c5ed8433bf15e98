package org.zrepl.port.transport;

import java.time.Duration;
import java.util.Objects;

/**
 * What one serving endpoint grants its clients, so that no client (a hostile one, or a broken one)
 * can hold the server's connections, threads or memory (a {@code serve:} block's {@code limits}):
 *
 * @param maxConnections connections served at once, over all clients
 * @param maxPerClient connections served at once to one client identity
 * @param handshakeTimeout from accept to the end of the first request's header frame (the handshake
 *     included): a connection that says nothing useful is closed after this
 * @param headerTimeout from the first byte of a request's header frame to its last
 * @param idleTimeout how long a connection may wait between requests
 * @param writeTimeout how long one write to a client that stopped reading may block
 */
public record ServerLimits(
    int maxConnections,
    int maxPerClient,
    Duration handshakeTimeout,
    Duration headerTimeout,
    Duration idleTimeout,
    Duration writeTimeout) {

  /** 64 connections, 16 per client, 10 s handshake and header, 2 min idle, 10 min write. */
  public static final ServerLimits DEFAULTS =
      new ServerLimits(
          64,
          16,
          Duration.ofSeconds(10),
          Duration.ofSeconds(10),
          Duration.ofMinutes(2),
          Duration.ofMinutes(10));

  public ServerLimits {
    if (maxConnections < 1) {
      throw new IllegalArgumentException("maxConnections must be positive, got " + maxConnections);
    }
    if (maxPerClient < 1) {
      throw new IllegalArgumentException("maxPerClient must be positive, got " + maxPerClient);
    }
    if (maxPerClient > maxConnections) {
      throw new IllegalArgumentException(
          "maxPerClient must not exceed maxConnections, got "
              + maxPerClient
              + " > "
              + maxConnections);
    }
    positive(handshakeTimeout, "handshakeTimeout");
    positive(headerTimeout, "headerTimeout");
    positive(idleTimeout, "idleTimeout");
    positive(writeTimeout, "writeTimeout");
  }

  private static void positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + d);
    }
  }

  public ServerLimits withMaxConnections(int n) {
    return new ServerLimits(
        n, Math.min(maxPerClient, n), handshakeTimeout, headerTimeout, idleTimeout, writeTimeout);
  }

  public ServerLimits withMaxPerClient(int n) {
    return new ServerLimits(
        maxConnections, n, handshakeTimeout, headerTimeout, idleTimeout, writeTimeout);
  }

  /** All four deadlines at once (tests use short ones). */
  public ServerLimits withTimeouts(
      Duration handshake, Duration header, Duration idle, Duration write) {
    return new ServerLimits(maxConnections, maxPerClient, handshake, header, idle, write);
  }
}
