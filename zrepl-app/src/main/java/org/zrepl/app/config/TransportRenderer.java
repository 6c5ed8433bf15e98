package org.zrepl.app.config;

import static org.zrepl.app.config.ConfigRenderer.go;
import static org.zrepl.app.config.ConfigRenderer.map;

import java.util.Map;

/** {@code connect} and {@code serve} for {@link ConfigRenderer}. */
final class TransportRenderer {

  private TransportRenderer() {}

  static Map<String, Object> connect(Connect c) {
    if (c instanceof Connect.Tcp t) {
      return map("type", "tcp", "address", t.address(), "dial_timeout", go(t.dialTimeout()));
    }
    if (c instanceof Connect.Tls t) {
      return map(
          "type", "tls",
          "address", t.address(),
          "ca", t.ca(),
          "cert", t.cert(),
          "key", t.key(),
          "server_cn", t.serverCn(),
          "dial_timeout", go(t.dialTimeout()));
    }
    if (c instanceof Connect.SshStdinserver s) {
      return map(
          "type", "ssh+stdinserver",
          "host", s.host(),
          "user", s.user(),
          "port", s.port(),
          "identity_file", s.identityFile(),
          "options", s.options(),
          "dial_timeout", go(s.dialTimeout()));
    }
    Connect.Local l = (Connect.Local) c;
    return map(
        "type", "local",
        "listener_name", l.listenerName(),
        "client_identity", l.clientIdentity(),
        "dial_timeout", go(l.dialTimeout()));
  }

  /** {@code serve}, with {@code limits} only where they differ from the defaults. */
  static Map<String, Object> serve(Serve s) {
    Map<String, Object> m = new java.util.LinkedHashMap<>(serveWithoutLimits(s));
    ServeLimits l = s.limits();
    if (!l.equals(ServeLimits.DEFAULTS)) {
      m.put(
          "limits",
          map(
              "max_connections", l.maxConnections(),
              "max_connections_per_client", l.maxPerClient(),
              "first_request_timeout", go(l.handshakeTimeout()),
              "header_timeout", go(l.headerTimeout()),
              "idle_timeout", go(l.idleTimeout()),
              "write_timeout", go(l.writeTimeout())));
    }
    return m;
  }

  private static Map<String, Object> serveWithoutLimits(Serve s) {
    if (s instanceof Serve.Tcp t) {
      return map(
          "type", "tcp",
          "listen", t.listen(),
          "listen_freebind", t.listenFreebind(),
          "clients", t.clients());
    }
    if (s instanceof Serve.Tls t) {
      return map(
          "type", "tls",
          "listen", t.listen(),
          "listen_freebind", t.listenFreebind(),
          "ca", t.ca(),
          "cert", t.cert(),
          "key", t.key(),
          "client_cns", t.clientCns(),
          "handshake_timeout", go(t.handshakeTimeout()));
    }
    if (s instanceof Serve.Stdinserver st) {
      return map("type", "stdinserver", "client_identities", st.clientIdentities());
    }
    return map("type", "local", "listener_name", ((Serve.Local) s).listenerName());
  }
}
