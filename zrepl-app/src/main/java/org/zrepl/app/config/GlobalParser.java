package org.zrepl.app.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.nodes.Node;
import org.zrepl.app.config.LoggingOutlet.Format;
import org.zrepl.app.config.LoggingOutlet.Level;

/** The {@code global} section. */
final class GlobalParser {

  static final List<String> OUTLET_TYPES = List.of("stdout", "syslog", "tcp");
  static final Set<String> FACILITIES =
      Set.of(
          "kern",
          "user",
          "mail",
          "daemon",
          "auth",
          "syslog",
          "lpr",
          "news",
          "uucp",
          "cron",
          "authpriv",
          "ftp",
          "local0",
          "local1",
          "local2",
          "local3",
          "local4",
          "local5",
          "local6",
          "local7");
  private static final Duration RETRY = Duration.ofSeconds(10);

  private GlobalParser() {}

  static Global global(Node node, Problems p) {
    if (node == null) {
      return Global.defaults();
    }
    YamlMap m = YamlMap.of(node, "global", p);
    if (m == null) {
      return null;
    }
    int before = p.count();
    Node loggingNode = m.get("logging");
    List<LoggingOutlet> logging =
        loggingNode == null ? Global.defaultLogging() : logging(loggingNode, p);
    List<Global.Monitoring> monitoring = monitoring(m.get("monitoring"), p);
    Path sockpath = Global.DEFAULT_CONTROL_SOCKPATH;
    Node control = m.get("control");
    if (control != null) {
      YamlMap cm = YamlMap.of(control, "global.control", p);
      if (cm != null) {
        sockpath = path(cm.get("sockpath"), "sockpath", sockpath, p);
        cm.finish();
      }
    }
    Path sockdir = Global.DEFAULT_STDINSERVER_SOCKDIR;
    Node serve = m.get("serve");
    if (serve != null) {
      YamlMap sm = YamlMap.of(serve, "global.serve", p);
      Node stdinserver = sm == null ? null : sm.get("stdinserver");
      if (stdinserver != null) {
        YamlMap im = YamlMap.of(stdinserver, "global.serve.stdinserver", p);
        if (im != null) {
          sockdir = path(im.get("sockdir"), "sockdir", sockdir, p);
          im.finish();
        }
      }
      if (sm != null) {
        sm.finish();
      }
    }
    m.finish();
    return p.count() > before ? null : new Global(logging, monitoring, sockpath, sockdir);
  }

  private static Path path(Node n, String key, Path dflt, Problems p) {
    String s = ValueReads.string(n, key, null, p);
    return s == null ? dflt : Path.of(s);
  }

  private static List<LoggingOutlet> logging(Node node, Problems p) {
    List<Node> items = ValueReads.list(node, "logging", p);
    if (items == null) {
      return null;
    }
    Map<String, Node> seen = new HashMap<>();
    List<LoggingOutlet> out = new ArrayList<>();
    for (Node item : items) {
      YamlMap m = YamlMap.of(item, "logging outlet", p);
      String type = m == null ? null : m.type(OUTLET_TYPES);
      if (type == null) {
        out.add(null);
        continue;
      }
      if (!type.equals("tcp") && seen.putIfAbsent(type, item) != null) {
        p.error(m.get("type"), "the " + type + " outlet can only be specified once");
      }
      try {
        out.add(outlet(type, m, p));
      } catch (IllegalArgumentException | NullPointerException e) {
        // A part was missing or invalid, which the finish below reports.
        out.add(null);
      }
      m.finish();
    }
    return out.contains(null) ? null : out;
  }

  private static LoggingOutlet outlet(String type, YamlMap m, Problems p) {
    int before = p.count();
    Level level = ValueReads.oneOf(m.require("level"), "level", ConfigWord.choices(Level.class), p);
    Format format =
        ValueReads.oneOf(m.require("format"), "format", ConfigWord.choices(Format.class), p);
    LoggingOutlet o = null;
    switch (type) {
      case "stdout" -> {
        Boolean time = ValueReads.bool(m.get("time"), "time", true, p);
        Boolean color = ValueReads.bool(m.get("color"), "color", true, p);
        if (p.count() == before) {
          o = new LoggingOutlet.Stdout(level, format, time, color);
        }
      }
      case "syslog" -> {
        Node f = m.get("facility");
        String facility = f == null ? "local0" : ValueReads.string(f, "facility", p);
        if (facility != null && !FACILITIES.contains(facility)) {
          p.error(
              f,
              "invalid syslog facility '"
                  + facility
                  + "'"
                  + Suggestions.didYouMean(facility, FACILITIES));
        }
        Duration retry =
            ValueReads.positiveGoDuration(m.get("retry_interval"), "retry_interval", RETRY, p);
        if (p.count() == before) {
          o = new LoggingOutlet.Syslog(level, format, facility, retry);
        }
      }
      default -> {
        String address = TransportParser.hostPort(m.require("address"), "address", p);
        String net = ValueReads.string(m.get("net"), "net", "tcp", p);
        Duration retry =
            ValueReads.positiveGoDuration(m.get("retry_interval"), "retry_interval", RETRY, p);
        Optional<LoggingOutlet.TlsFiles> tls = Optional.empty();
        Node tlsNode = m.get("tls");
        checkNet(m.get("net"), net, tlsNode, p);
        if (tlsNode != null) {
          YamlMap tm = YamlMap.of(tlsNode, "tls", p);
          if (tm != null) {
            String ca = ValueReads.string(tm.require("ca"), "ca", p);
            String cert = ValueReads.string(tm.require("cert"), "cert", p);
            String key = ValueReads.string(tm.require("key"), "key", p);
            tm.finish();
            if (p.count() == before) {
              p.checkTlsFiles("logging", tm, ca, cert, key);
            }
            if (p.count() == before) {
              tls = Optional.of(new LoggingOutlet.TlsFiles(ca, cert, key));
            }
          }
        }
        if (p.count() == before) {
          o = new LoggingOutlet.Tcp(level, format, address, net, retry, tls);
        }
      }
    }
    return o;
  }

  /** What zrepl's tcp outlet passes to Go's {@code net.Dial}. */
  static final List<String> NETS = List.of("tcp", "tcp4", "tcp6", "udp", "udp4", "udp6");

  private static void checkNet(Node netNode, String net, Node tlsNode, Problems p) {
    if (net == null) {
      return;
    }
    if (!NETS.contains(net)) {
      p.error(
          netNode,
          "net must be one of "
              + String.join(", ", NETS)
              + " (the network zrepl dials the log server on), got '"
              + net
              + "'"
              + Suggestions.didYouMean(net, NETS));
    } else if (net.startsWith("udp") && tlsNode != null) {
      p.error(
          tlsNode,
          "tls cannot be used with net '"
              + net
              + "': TLS needs a stream connection; use net: tcp for TLS, or remove tls to send"
              + " plain datagrams");
    }
  }

  private static List<Global.Monitoring> monitoring(Node node, Problems p) {
    List<Node> items = ValueReads.list(node, "monitoring", p);
    if (items == null) {
      return null;
    }
    List<Global.Monitoring> out = new ArrayList<>();
    for (Node item : items) {
      YamlMap m = YamlMap.of(item, "monitoring", p);
      String type = m == null ? null : m.type(List.of("prometheus"));
      if (type == null) {
        out.add(null);
        continue;
      }
      if (!out.isEmpty()) {
        p.error(m.get("type"), "the prometheus monitoring endpoint can only be specified once");
      }
      int before = p.count();
      String listen = TransportParser.hostPort(m.require("listen"), "listen", p);
      Boolean freebind = ValueReads.bool(m.get("listen_freebind"), "listen_freebind", false, p);
      m.finish();
      out.add(p.count() > before ? null : new Global.Monitoring.Prometheus(listen, freebind));
    }
    return out.contains(null) ? null : out;
  }
}
