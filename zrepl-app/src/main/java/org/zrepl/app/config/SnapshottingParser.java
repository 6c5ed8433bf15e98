package org.zrepl.app.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.Node;
import org.zrepl.app.config.Snapshotting.TimestampFormat;

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
    String prefix = Read.string(prefixNode, "prefix", p);
    Duration interval = null;
    CronSpec cron = null;
    if (type.equals("periodic")) {
      interval = Read.positiveDuration(m.require("interval"), "interval", null, p);
    } else {
      cron = Read.parsed(m.require("cron"), "cron", CronSpec::parse, p);
    }
    TimestampFormat timestamp = timestamp(m, p);
    List<Hook> hooks = hooks(m.get("hooks"), p);
    m.finish();
    if (p.count() > before) {
      return null;
    }
    try {
      return type.equals("periodic")
          ? new Snapshotting.Periodic(prefix, interval, timestamp, hooks)
          : new Snapshotting.Cron(prefix, cron, timestamp, hooks);
    } catch (IllegalArgumentException e) {
      p.error(prefixNode, e.getMessage());
      return null;
    }
  }

  private static TimestampFormat timestamp(YamlMap m, Problems p) {
    Node formatNode = m.get("timestamp_format");
    Node locationNode = m.get("timestamp_location");
    String format = Read.string(formatNode, "timestamp_format", "dense", p);
    String location = Read.string(locationNode, "timestamp_location", "UTC", p);
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
    List<Node> items = Read.list(node, "hooks", p);
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
    Duration timeout = Read.positiveGoDuration(m.get("timeout"), "timeout", HOOK_TIMEOUT, p);
    Boolean fatal = Read.bool(m.get("err_is_fatal"), "err_is_fatal", false, p);
    Hook h = null;
    if (type.equals("command")) {
      Node pathNode = m.require("path");
      String path = Read.string(pathNode, "path", p);
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
      // The database hooks must name their filesystems: checkpointing every dataset is a mistake.
      String dsn = Read.string(m.require("dsn"), "dsn", p);
      Filesystems fs = filesystems(m.require("filesystems"), p);
      if (p.count() == before) {
        h =
            type.equals("postgres-checkpoint")
                ? new Hook.PostgresCheckpoint(dsn, timeout, fs, fatal)
                : new Hook.MysqlLockTables(dsn, timeout, fs, fatal);
      }
    }
    m.finish();
    return h;
  }

  /** A {@code filesystems} filter; the domain's complaint is reported at the offending entry. */
  static Filesystems filesystems(Node node, Problems p) {
    if (node == null) {
      return null;
    }
    Map<String, org.yaml.snakeyaml.nodes.NodeTuple> entries =
        Read.scalarMap(node, "filesystems", p);
    if (entries == null) {
      return null;
    }
    return Patterns.build(entries, node, Filesystems::of, p);
  }
}
