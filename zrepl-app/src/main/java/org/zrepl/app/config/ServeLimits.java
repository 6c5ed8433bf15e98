package org.zrepl.app.config;

import java.time.Duration;
import java.util.Objects;

/**
 * A {@code serve:} block's {@code limits} as configured: connections and deadlines the serving job
 * grants its clients. The configuration's own value (config parsing depends on no port); the daemon
 * hands it to the transport as the port's {@code ServerLimits}.
 *
 * @param maxConnections {@code max_connections}: connections served at once, over all clients
 * @param maxPerClient {@code max_connections_per_client}: at once to one client identity
 * @param handshakeTimeout {@code first_request_timeout}: from accept to the end of the first
 *     request's header frame
 * @param headerTimeout {@code header_timeout}: from a header frame's first byte to its last
 * @param idleTimeout {@code idle_timeout}: between requests
 * @param writeTimeout {@code write_timeout}: one write to a client that stopped reading
 */
public record ServeLimits(
    int maxConnections,
    int maxPerClient,
    Duration handshakeTimeout,
    Duration headerTimeout,
    Duration idleTimeout,
    Duration writeTimeout) {

  /** 64 connections, 16 per client, 10 s first request and header, 2 min idle, 10 min write. */
  public static final ServeLimits DEFAULTS =
      new ServeLimits(
          64,
          16,
          Duration.ofSeconds(10),
          Duration.ofSeconds(10),
          Duration.ofMinutes(2),
          Duration.ofMinutes(10));

  public ServeLimits {
    Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
    Objects.requireNonNull(headerTimeout, "headerTimeout");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    Objects.requireNonNull(writeTimeout, "writeTimeout");
  }
}
