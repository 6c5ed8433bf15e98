package org.zrepl.app.config;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** How a passive job ({@code sink}, {@code source}) accepts connections: {@code serve}. */
public sealed interface Serve {

  /** Plain TCP; clients are identified by IP address through {@code clients} (IP to identity). */
  record Tcp(String listen, boolean listenFreebind, Map<String, String> clients) implements Serve {
    public Tcp {
      Objects.requireNonNull(listen, "listen");
      clients = Collections.unmodifiableMap(new LinkedHashMap<>(clients));
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
      Duration handshakeTimeout)
      implements Serve {
    public Tls {
      Objects.requireNonNull(listen, "listen");
      Objects.requireNonNull(ca, "ca");
      Objects.requireNonNull(cert, "cert");
      Objects.requireNonNull(key, "key");
      clientCns = List.copyOf(clientCns);
      Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
    }
  }

  /** Connections handed over by {@code zrepl stdinserver IDENTITY} through a UNIX socket. */
  record Stdinserver(List<String> clientIdentities) implements Serve {
    public Stdinserver {
      clientIdentities = List.copyOf(clientIdentities);
    }
  }

  /** In-process listener for {@code connect: {type: local}}. */
  record Local(String listenerName) implements Serve {
    public Local {
      Objects.requireNonNull(listenerName, "listenerName");
    }
  }
}
