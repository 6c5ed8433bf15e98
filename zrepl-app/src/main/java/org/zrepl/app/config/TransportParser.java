package org.zrepl.app.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.zrepl.domain.dataset.DatasetPath;

/** {@code connect} and {@code serve} sections. */
final class TransportParser {

  static final List<String> CONNECT_TYPES = List.of("tcp", "tls", "ssh+stdinserver", "local");
  static final List<String> SERVE_TYPES = List.of("tcp", "tls", "stdinserver", "local");
  private static final Duration TEN_SECONDS = Duration.ofSeconds(10);

  private TransportParser() {}

  static Connect connect(Node node, Problems p) {
    YamlMap m = YamlMap.of(node, "connect", p);
    if (m == null) {
      return null;
    }
    String type = m.type(CONNECT_TYPES);
    if (type == null) {
      return null;
    }
    int before = p.count();
    Connect c =
        switch (type) {
          case "tcp" -> {
            String address = hostPort(m.require("address"), "address", p);
            Duration dial =
                Refusals.positiveTimeout(m.get("dial_timeout"), "dial_timeout", TEN_SECONDS, p);
            yield p.count() > before ? null : new Connect.Tcp(address, dial);
          }
          case "tls" -> {
            String address = hostPort(m.require("address"), "address", p);
            String ca = ValueReads.string(m.require("ca"), "ca", p);
            String cert = ValueReads.string(m.require("cert"), "cert", p);
            String key = ValueReads.string(m.require("key"), "key", p);
            String serverCn = ValueReads.string(m.require("server_cn"), "server_cn", p);
            Duration dial =
                Refusals.positiveTimeout(m.get("dial_timeout"), "dial_timeout", TEN_SECONDS, p);
            if (p.count() == before) {
              p.checkTlsFiles("connect", m, ca, cert, key);
            }
            yield p.count() > before
                ? null
                : new Connect.Tls(address, ca, cert, key, serverCn, dial);
          }
          case "ssh+stdinserver" -> {
            String host = ValueReads.string(m.require("host"), "host", p);
            String user = ValueReads.string(m.require("user"), "user", p);
            Node portNode = m.require("port");
            Long port = ValueReads.integer(portNode, "port", p);
            if (port != null && (port < 1 || port > 65535)) {
              p.error(portNode, "'port' must be in 1..65535, got " + port);
            }
            String identity = ValueReads.string(m.require("identity_file"), "identity_file", p);
            List<String> options = ValueReads.stringList(m.get("options"), "options", p);
            Duration dial =
                Refusals.positiveTimeout(m.get("dial_timeout"), "dial_timeout", TEN_SECONDS, p);
            Refusals.sshStdinserverLeftovers(m);
            yield p.count() > before
                ? null
                : new Connect.SshStdinserver(host, user, port.intValue(), identity, options, dial);
          }
          default -> {
            String listener = ValueReads.string(m.require("listener_name"), "listener_name", p);
            Node idNode = m.require("client_identity");
            String identity = clientIdentity(idNode, "client_identity", p);
            Duration dial =
                ValueReads.nonNegativeGoDuration(
                    m.get("dial_timeout"), "dial_timeout", Duration.ofSeconds(2), p);
            yield p.count() > before ? null : new Connect.Local(listener, identity, dial);
          }
        };
    m.finish();
    return c;
  }

  static Serve serve(Node node, Problems p) {
    YamlMap m = YamlMap.of(node, "serve", p);
    if (m == null) {
      return null;
    }
    String type = m.type(SERVE_TYPES);
    if (type == null) {
      return null;
    }
    int before = p.count();
    ServeLimits limits = ServeLimitsParser.limits(m.get("limits"), p);
    Serve s =
        switch (type) {
          case "tcp" -> {
            String listen = hostPort(m.require("listen"), "listen", p);
            Boolean freebind =
                ValueReads.bool(m.get("listen_freebind"), "listen_freebind", false, p);
            Map<String, String> clients = clients(m.require("clients"), p);
            yield p.count() > before ? null : new Serve.Tcp(listen, freebind, clients, limits);
          }
          case "tls" -> {
            String listen = hostPort(m.require("listen"), "listen", p);
            Boolean freebind =
                ValueReads.bool(m.get("listen_freebind"), "listen_freebind", false, p);
            String ca = ValueReads.string(m.require("ca"), "ca", p);
            String cert = ValueReads.string(m.require("cert"), "cert", p);
            String key = ValueReads.string(m.require("key"), "key", p);
            List<String> cns = identities(m.require("client_cns"), "client_cns", p);
            Duration handshake =
                Refusals.positiveTimeout(
                    m.get("handshake_timeout"), "handshake_timeout", TEN_SECONDS, p);
            if (p.count() == before) {
              p.checkTlsFiles("serve", m, ca, cert, key);
            }
            yield p.count() > before
                ? null
                : new Serve.Tls(listen, freebind, ca, cert, key, cns, handshake, limits);
          }
          case "stdinserver" -> {
            List<String> ids = identities(m.require("client_identities"), "client_identities", p);
            yield p.count() > before ? null : new Serve.Stdinserver(ids, limits);
          }
          default -> {
            String listener = ValueReads.string(m.require("listener_name"), "listener_name", p);
            yield p.count() > before ? null : new Serve.Local(listener, limits);
          }
        };
    m.finish();
    return s;
  }

  /** {@code host:port}, {@code :port} or {@code [v6]:port}, as Go's net.SplitHostPort takes. */
  static String hostPort(Node n, String key, Problems p) {
    String s = ValueReads.string(n, key, p);
    if (s == null) {
      return null;
    }
    String problem = null;
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      if (close < 0 || close + 1 >= s.length() || s.charAt(close + 1) != ':') {
        problem = "missing ']:' after the IPv6 address";
      } else if (s.indexOf(':', close + 2) >= 0) {
        problem = "too many colons";
      }
    } else {
      int colon = s.lastIndexOf(':');
      if (colon < 0) {
        problem = "missing port";
      } else if (s.indexOf(':') != colon) {
        problem = "too many colons (write IPv6 addresses as [addr]:port)";
      }
    }
    if (problem != null) {
      p.error(n, "'" + key + "' must be host:port, got '" + s + "': " + problem);
      return null;
    }
    return s;
  }

  /**
   * A client identity: it becomes a dataset name component below a sink's root_fs, so it must be
   * one. A {@code *} (zrepl's wildcard in tcp client maps) stands for such characters.
   */
  static String clientIdentity(Node n, String key, Problems p) {
    String s = ValueReads.string(n, key, p);
    if (s == null) {
      return null;
    }
    try {
      DatasetPath.checkComponent(s.replace("*", "x"));
      return s;
    } catch (IllegalArgumentException e) {
      p.error(n, "client identity '" + s + "' is not usable as a ZFS dataset name component");
      return null;
    }
  }

  private static List<String> identities(Node n, String key, Problems p) {
    if (n == null) {
      return null;
    }
    if (!(n instanceof SequenceNode seq)) {
      p.error(n, "'" + key + "' must be a list, got " + ValueReads.describe(n));
      return null;
    }
    List<String> out = new ArrayList<>();
    for (Node e : seq.getValue()) {
      out.add(clientIdentity(e, key + " entry", p));
    }
    return out.contains(null) ? null : out;
  }

  private static Map<String, String> clients(Node n, Problems p) {
    if (n == null) {
      return null;
    }
    if (!(n instanceof MappingNode m)) {
      p.error(
          n,
          "'clients' must be a mapping of IP address to client identity, got "
              + ValueReads.describe(n));
      return null;
    }
    Map<String, String> out = new LinkedHashMap<>();
    boolean ok = true;
    for (NodeTuple t : m.getValue()) {
      String ip = ValueReads.string(t.getKeyNode(), "clients key", p);
      String id = clientIdentity(t.getValueNode(), "clients value", p);
      if (ip != null && out.containsKey(ip)) {
        p.error(t.getKeyNode(), "duplicate key '" + ip + "' in 'clients'");
        ok = false;
      }
      if (ip == null || id == null) {
        ok = false;
      } else {
        out.putIfAbsent(ip, id);
      }
    }
    return ok ? out : null;
  }
}
