package org.zrepl.app.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/** How an active job ({@code push}, {@code pull}) reaches its passive side: {@code connect}. */
public sealed interface Connect {

  /** Time allowed to establish the connection; zrepl's default is 10s (2s for local). */
  Duration dialTimeout();

  /** Plain TCP to {@code host:port}. */
  record Tcp(String address, Duration dialTimeout) implements Connect {
    public Tcp {
      Objects.requireNonNull(address, "address");
      Objects.requireNonNull(dialTimeout, "dialTimeout");
    }
  }

  /** TCP with TLS client authentication; the server's certificate must carry {@code serverCn}. */
  record Tls(
      String address, String ca, String cert, String key, String serverCn, Duration dialTimeout)
      implements Connect {
    public Tls {
      Objects.requireNonNull(address, "address");
      Objects.requireNonNull(ca, "ca");
      Objects.requireNonNull(cert, "cert");
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(serverCn, "serverCn");
      Objects.requireNonNull(dialTimeout, "dialTimeout");
    }
  }

  /** Runs {@code ssh} to the peer, where {@code zrepl stdinserver} is the forced command. */
  record SshStdinserver(
      String host,
      String user,
      int port,
      String identityFile,
      List<String> options,
      Duration dialTimeout)
      implements Connect {
    public SshStdinserver {
      Objects.requireNonNull(host, "host");
      Objects.requireNonNull(user, "user");
      Objects.requireNonNull(identityFile, "identityFile");
      options = List.copyOf(options);
      Objects.requireNonNull(dialTimeout, "dialTimeout");
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port must be in 1..65535, got " + port);
      }
    }
  }

  /** In-process connection to a {@code serve: {type: local}} with the same listener name. */
  record Local(String listenerName, String clientIdentity, Duration dialTimeout)
      implements Connect {
    public Local {
      Objects.requireNonNull(listenerName, "listenerName");
      Objects.requireNonNull(clientIdentity, "clientIdentity");
      Objects.requireNonNull(dialTimeout, "dialTimeout");
    }
  }
}
