package org.zrepl.app.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.Node;
import org.zrepl.app.config.Snapshotting.TimestampFormat;
import org.zrepl.domain.snapshot.SnapshotPrefix;

/** {@code snapshotting} and its {@code hooks}. */
final class SnapshottingParser {

  static final List<String> TYPES = List.of("periodic", "cron", "manual");
  static final List<String> HOOK_TYPES =
      List.of("command", "postgres-checkpoint", "mysql-lock-tables");
  private static final Duration HOOK_TIMEOUT = Duration.ofSeconds(30);

  private SnapshottingParser() {}

  static Snapshotting snapshotting(Node node, Problems p) {
    YamlMap m = YamlMap.of(node, "snapshotting", p);
    if (m == null) {
      return null;
    }
    String type = m.type(TYPES);
    if (type == null) {
      return null;
    }
    if (type.equals("manual")) {
      m.finish();
      return new Snapshotting.Manual();
    }
    int before = p.count();
    Node prefixNode = m.require("prefix");
    String prefix = ValueReads.string(prefixNode, "prefix", p);
    Duration interval = null;
    CronSpec cron = null;
    if (type.equals("periodic")) {
      interval = ValueReads.positiveDuration(m.require("interval"), "interval", null, p);
    } else {
      cron = ValueReads.parsed(m.require("cron"), "cron", CronSpec::parse, p);
    }
    TimestampFormat timestamp = timestamp(m, p);
    List<Hook> hooks = hooks(m.get("hooks"), p);
    m.finish();
    if (p.count() > before) {
      return null;
    }
    if (!namesAreValid(prefix, prefixNode, timestamp, m, p)) {
      return null;
    }
    return type.equals("periodic")
        ? new Snapshotting.Periodic(prefix, interval, timestamp, hooks)
        : new Snapshotting.Cron(prefix, cron, timestamp, hooks);
  }

  /**
   * Checks with the domain that prefix and timestamp format give valid snapshot names, pointing at
   * the prefix if it is the culprit on its own, else at the format or location.
   */
  private static boolean namesAreValid(
      String prefix, Node prefixNode, TimestampFormat timestamp, YamlMap m, Problems p) {
    try {
      SnapshotPrefix.of(prefix);
    } catch (IllegalArgumentException e) {
      p.error(prefixNode, "invalid 'prefix': " + e.getMessage());
      return false;
    }
    try {
      timestamp.nameFormat(prefix);
      return true;
    } catch (IllegalArgumentException e) {
      Node format = firstNonNull(m.get("timestamp_format"), m.get("utc_timestamp_format"));
      Node location = m.get("timestamp_location");
      Node at =
          e.getMessage().contains("timestamp_location") && location != null
              ? location
              : firstNonNull(format, location, prefixNode);
      p.error(at, e.getMessage());
      return false;
    }
  }

  private static Node firstNonNull(Node... nodes) {
    for (Node n : nodes) {
      if (n != null) {
        return n;
      }
    }
    return null;
  }

  private static TimestampFormat timestamp(YamlMap m, Problems p) {
    Node formatNode = m.get("timestamp_format");
    Node locationNode = m.get("timestamp_location");
    // zrepl 0.6.x spelt the format utc_timestamp_format (always UTC); accept it as an alias.
    Node legacy = m.get("utc_timestamp_format");
    if (legacy != null) {
      if (formatNode != null || locationNode != null) {
        p.error(
            m.keyNode("utc_timestamp_format"),
            "'utc_timestamp_format' is the old name of 'timestamp_format'; give only one of them");
        return null;
      }
      formatNode = legacy;
    }
    String format = ValueReads.string(formatNode, "timestamp_format", "dense", p);
    String location = ValueReads.string(locationNode, "timestamp_location", "UTC", p);
    if (format == null || location == null) {
      return null;
    }
    try {
      return new TimestampFormat(format, location);
    } catch (IllegalArgumentException e) {
      p.error(locationNode != null ? locationNode : formatNode, e.getMessage());
      return null;
    }
  }

  private static List<Hook> hooks(Node node, Problems p) {
    List<Node> items = ValueReads.list(node, "hooks", p);
    if (items == null) {
      return null;
    }
    List<Hook> out = new ArrayList<>();
    for (Node item : items) {
      out.add(hook(item, p));
    }
    return out.contains(null) ? null : out;
  }

  private static Hook hook(Node node, Problems p) {
    YamlMap m = YamlMap.of(node, "hook", p);
    if (m == null) {
      return null;
    }
    String type = m.type(HOOK_TYPES);
    if (type == null) {
      return null;
    }
    int before = p.count();
    Duration timeout = ValueReads.positiveGoDuration(m.get("timeout"), "timeout", HOOK_TIMEOUT, p);
    Boolean fatal = ValueReads.bool(m.get("err_is_fatal"), "err_is_fatal", false, p);
    Hook h = null;
    if (type.equals("command")) {
      Node pathNode = m.require("path");
      String path = ValueReads.string(pathNode, "path", p);
      if (path != null && !path.startsWith("/")) {
        p.error(pathNode, "hook 'path' must be absolute, got '" + path + "'");
      }
      Node fsNode = m.get("filesystems");
      Filesystems fs =
          fsNode == null ? Filesystems.of(Map.of("<", "true")) : filesystems(fsNode, p);
      if (p.count() == before) {
        h = new Hook.Command(path, timeout, fs, fatal);
      }
    } else {
      // zrepl's database hooks are not implemented. Running the snapshot without the checkpoint
      // or lock the configuration asks for would be a silent data-safety defect, so refuse them.
      m.known("dsn", "filesystems");
      p.error(m.get("type"), refusal(type));
    }
    m.finish();
    return h;
  }

  private static String refusal(String type) {
    String instead =
        type.equals("postgres-checkpoint")
            ? "a 'command' hook whose script runs `psql -c CHECKPOINT` (with your connection"
                + " settings) when ZREPL_HOOKTYPE is pre_snapshot"
            : "a 'command' hook whose script quiesces MySQL when ZREPL_HOOKTYPE is pre_snapshot"
                + " (e.g. `mysql -e 'FLUSH TABLES'`; a read lock held across the snapshot needs a"
                + " session that outlives the script)";
    return "hook type '"
        + type
        + "' is not supported by this implementation (it would not run, and the snapshot would"
        + " be taken without it); use "
        + instead;
  }

  /** A {@code filesystems} filter; the domain's complaint is reported at the offending entry. */
  static Filesystems filesystems(Node node, Problems p) {
    if (node == null) {
      return null;
    }
    Map<String, org.yaml.snakeyaml.nodes.NodeTuple> entries =
        ValueReads.scalarMap(node, "filesystems", p);
    if (entries == null) {
      return null;
    }
    return Patterns.build(entries, node, ValueReads::booleanValues, Filesystems::of, p);
  }
}
