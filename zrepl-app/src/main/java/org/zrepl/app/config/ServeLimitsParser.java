package org.zrepl.app.config;

import java.time.Duration;
import org.yaml.snakeyaml.nodes.Node;

/**
 * {@code serve.limits} (ours; zrepl has no such keys): what a serving job grants its clients. Each
 * key defaults to {@link ServeLimits#DEFAULTS}; a value the server cannot honour is refused at its
 * location.
 */
final class ServeLimitsParser {
  /** More connections than this would be more threads than a daemon should start for clients. */
  static final int MAX_CONNECTIONS = 4096;

  private ServeLimitsParser() {}

  /** The limits in {@code node}, the defaults if it is null, or the defaults after a problem. */
  static ServeLimits limits(Node node, Problems p) {
    ServeLimits d = ServeLimits.DEFAULTS;
    if (node == null) {
      return d;
    }
    YamlMap m = YamlMap.of(node, "serve.limits", p);
    if (m == null) {
      return d;
    }
    int before = p.count();
    Node totalNode = m.get("max_connections");
    Integer total = count(totalNode, "max_connections", d.maxConnections(), p);
    Node perNode = m.get("max_connections_per_client");
    Integer per =
        count(
            perNode,
            "max_connections_per_client",
            total == null ? d.maxPerClient() : Math.min(d.maxPerClient(), total),
            p);
    if (total != null && per != null && per > total) {
      p.error(
          perNode,
          "'max_connections_per_client' ("
              + per
              + ") must not exceed 'max_connections' ("
              + total
              + "): one client could never use them; lower it or raise 'max_connections'");
    }
    Duration first =
        timeout(m.get("first_request_timeout"), "first_request_timeout", d.handshakeTimeout(), p);
    Duration header = timeout(m.get("header_timeout"), "header_timeout", d.headerTimeout(), p);
    Duration idle = timeout(m.get("idle_timeout"), "idle_timeout", d.idleTimeout(), p);
    Duration write = timeout(m.get("write_timeout"), "write_timeout", d.writeTimeout(), p);
    m.finish();
    if (p.count() > before) {
      return d;
    }
    return new ServeLimits(total, per, first, header, idle, write);
  }

  private static Integer count(Node n, String key, int dflt, Problems p) {
    if (n == null) {
      return dflt;
    }
    Long v = ValueReads.integer(n, key, p);
    if (v == null) {
      return null;
    }
    if (v < 1 || v > MAX_CONNECTIONS) {
      p.error(
          n,
          "'"
              + key
              + "' must be in 1.."
              + MAX_CONNECTIONS
              + ", got "
              + v
              + " (each connection served costs a thread; the default is "
              + dflt
              + ")");
      return null;
    }
    return v.intValue();
  }

  /** A positive Go duration; zero would mean "no deadline", which this server never grants. */
  private static Duration timeout(Node n, String key, Duration dflt, Problems p) {
    if (n == null) {
      return dflt;
    }
    Duration v = ValueReads.goDuration(n, key, p);
    if (v == null) {
      return null;
    }
    if (v.isNegative() || v.isZero()) {
      p.error(
          n,
          "'"
              + key
              + "' must be a positive duration, got '"
              + ((org.yaml.snakeyaml.nodes.ScalarNode) n).getValue()
              + "': the server always bounds this wait (the default is "
              + ConfigRenderer.go(dflt)
              + ")");
      return null;
    }
    return v;
  }
}
