package org.zrepl.app.config;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How a passive job ({@code sink}, {@code source}) accepts connections: {@code serve}. Every type
 * takes {@code limits} (ours, not zrepl's): what the server grants its clients.
 */
public sealed interface Serve {

  /** {@code limits}: connections and deadlines ({@link ServeLimits#DEFAULTS} when absent). */
  ServeLimits limits();

  /** Plain TCP; clients are identified by IP address through {@code clients} (IP to identity). */
  record Tcp(String listen, boolean listenFreebind, Map<String, String> clients, ServeLimits limits)
      implements Serve {
    public Tcp {
      Objects.requireNonNull(listen, "listen");
      clients = Collections.unmodifiableMap(new LinkedHashMap<>(clients));
      Objects.requireNonNull(limits, "limits");
    }

    public Tcp(String listen, boolean listenFreebind, Map<String, String> clients) {
      this(listen, listenFreebind, clients, ServeLimits.DEFAULTS);
    }
  }

  /** TLS with client certificates; the certificate's CN is the client identity. */
  record Tls(
      String listen,
      boolean listenFreebind,
      String ca,
      String cert,
      String key,
      List<String> clientCns,
      Duration handshakeTimeout,
      ServeLimits limits)
      implements Serve {
    public Tls {
      Objects.requireNonNull(listen, "listen");
      Objects.requireNonNull(ca, "ca");
      Objects.requireNonNull(cert, "cert");
      Objects.requireNonNull(key, "key");
      clientCns = List.copyOf(clientCns);
      Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
      Objects.requireNonNull(limits, "limits");
    }

    public Tls(
        String listen,
        boolean listenFreebind,
        String ca,
        String cert,
        String key,
        List<String> clientCns,
        Duration handshakeTimeout) {
      this(
          listen, listenFreebind, ca, cert, key, clientCns, handshakeTimeout, ServeLimits.DEFAULTS);
    }
  }

  /** Connections handed over by {@code zrepl stdinserver IDENTITY} through a UNIX socket. */
  record Stdinserver(List<String> clientIdentities, ServeLimits limits) implements Serve {
    public Stdinserver {
      clientIdentities = List.copyOf(clientIdentities);
      Objects.requireNonNull(limits, "limits");
    }

    public Stdinserver(List<String> clientIdentities) {
      this(clientIdentities, ServeLimits.DEFAULTS);
    }
  }

  /** In-process listener for {@code connect: {type: local}}. */
  record Local(String listenerName, ServeLimits limits) implements Serve {
    public Local {
      Objects.requireNonNull(listenerName, "listenerName");
      Objects.requireNonNull(limits, "limits");
    }

    public Local(String listenerName) {
      this(listenerName, ServeLimits.DEFAULTS);
    }
  }
}
