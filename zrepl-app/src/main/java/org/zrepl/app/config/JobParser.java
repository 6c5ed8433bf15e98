package org.zrepl.app.config;

import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.zrepl.app.config.Options.ConflictResolution;
import org.zrepl.app.config.Options.Recv;
import org.zrepl.app.config.Options.Replication;
import org.zrepl.app.config.Options.Send;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.prune.KeepRule;

/** One entry of {@code jobs}. */
final class JobParser {

  static final List<String> TYPES = List.of("snap", "push", "sink", "pull", "source", "local");

  /** A job and the map it was read from, for the cross-job checks' positions. */
  record Parsed(Job job, YamlMap map) {}

  private JobParser() {}

  /** The job, or null after reporting why it is invalid. */
  static Parsed job(Node node, Problems p) {
    YamlMap m = YamlMap.of(node, "job", p);
    if (m == null) {
      return null;
    }
    int before = p.count();
    Node nameNode = m.require("name");
    String name = ValueReads.string(nameNode, "name", p);
    if (name != null) {
      try {
        Job.checkName(name);
      } catch (IllegalArgumentException e) {
        p.error(nameNode, e.getMessage());
        name = null;
      }
    }
    String type = m.type(TYPES);
    if (type == null) {
      m.abandon();
      return null;
    }
    if (name != null && !type.equals("snap") && name.contains(" ")) {
      // The endpoints refuse it (the name is part of hold and bookmark names): say so now.
      p.error(
          nameNode,
          "job name '"
              + name
              + "' must not contain a space in a "
              + type
              + " job: the name is part of its replication cursor bookmark and hold names; write '"
              + name.replace(' ', '_')
              + "' instead");
      name = null;
    }
    m.describeAs(type + " job" + (name == null ? "" : " '" + name + "'"));
    Job job = null;
    try {
      job =
          switch (type) {
            case "snap" -> snap(name, m, p);
            case "push" -> push(name, m, p);
            case "sink" -> sink(name, m, p);
            case "pull" -> pull(name, m, p);
            case "source" -> source(name, m, p);
            default -> local(name, m, p);
          };
    } catch (IllegalArgumentException | NullPointerException e) {
      // A part was missing or invalid; that was reported unless the model found something new.
      if (p.count() == before) {
        p.error(m.node(), "invalid " + m.what() + ": " + e.getMessage());
      }
    }
    m.finish();
    return p.count() > before || job == null ? null : new Parsed(job, m);
  }

  private static Job snap(String name, YamlMap m, Problems p) {
    Filesystems fs = SnapshottingParser.filesystems(m.require("filesystems"), p);
    Snapshotting snapshotting = snapshotting(m, p);
    Node pruning = m.require("pruning");
    List<KeepRule> keep = pruning == null ? null : PruningParser.local(pruning, p);
    return allPresent(name, fs, snapshotting, keep)
        ? new Job.Snap(name, fs, snapshotting, keep)
        : null;
  }

  private static Job push(String name, YamlMap m, Problems p) {
    Connect connect = connect(m, p);
    Filesystems fs = SnapshottingParser.filesystems(m.require("filesystems"), p);
    Snapshotting snapshotting = snapshotting(m, p);
    Job.Pruning pruning = pruning(m, p);
    Send send = OptionsParser.send(m.get("send"), p);
    Replication replication =
        OptionsParser.replication(m.get("replication"), OptionsParser.ReplicationSide.PUSH, p);
    ConflictResolution initial = OptionsParser.conflictResolution(m.get("conflict_resolution"), p);
    return allPresent(name, connect, fs, snapshotting, pruning, send, replication, initial)
        ? new Job.Push(name, connect, fs, snapshotting, pruning, send, replication, initial)
        : null;
  }

  private static Job sink(String name, YamlMap m, Problems p) {
    Serve serve = serve(m, p);
    Target target = target(m, p);
    Recv recv = OptionsParser.recv(m.get("recv"), p);
    return allPresent(name, serve, target, recv) ? new Job.Sink(name, serve, target, recv) : null;
  }

  private static Job pull(String name, YamlMap m, Problems p) {
    Connect connect = connect(m, p);
    Target target = target(m, p);
    Interval interval = interval(m.require("interval"), p);
    Job.Pruning pruning = pruning(m, p);
    Recv recv = OptionsParser.recv(m.get("recv"), p);
    Replication replication =
        OptionsParser.replication(m.get("replication"), OptionsParser.ReplicationSide.PULL, p);
    ConflictResolution initial = OptionsParser.conflictResolution(m.get("conflict_resolution"), p);
    return allPresent(name, connect, target, interval, pruning, recv, replication, initial)
        ? new Job.Pull(name, connect, target, interval, pruning, recv, replication, initial)
        : null;
  }

  private static Job source(String name, YamlMap m, Problems p) {
    Serve serve = serve(m, p);
    Filesystems fs = SnapshottingParser.filesystems(m.require("filesystems"), p);
    Snapshotting snapshotting = snapshotting(m, p);
    Send send = OptionsParser.send(m.get("send"), p);
    Node pruning = m.get("pruning");
    List<KeepRule> keep = pruning == null ? List.of() : PruningParser.source(pruning, p);
    return allPresent(name, serve, fs, snapshotting, send, keep)
        ? new Job.Source(name, serve, fs, snapshotting, send, keep)
        : null;
  }

  private static Job local(String name, YamlMap m, Problems p) {
    Mapping mapping = mapping(m.require("mapping"), p);
    Snapshotting snapshotting = snapshotting(m, p);
    Job.Pruning pruning = pruning(m, p);
    Replication replication = OptionsParser.replication(m.get("replication"), p);
    ConflictResolution initial = OptionsParser.conflictResolution(m.get("conflict_resolution"), p);
    Send send = OptionsParser.send(m.get("send"), p);
    Recv recv = OptionsParser.recv(m.get("recv"), p);
    return allPresent(name, mapping, snapshotting, pruning, replication, initial, send, recv)
        ? new Job.Local(name, mapping, snapshotting, pruning, replication, initial, send, recv)
        : null;
  }

  private static Connect connect(YamlMap m, Problems p) {
    Node n = m.require("connect");
    return n == null ? null : TransportParser.connect(n, p);
  }

  private static Serve serve(YamlMap m, Problems p) {
    Node n = m.require("serve");
    return n == null ? null : TransportParser.serve(n, p);
  }

  private static Snapshotting snapshotting(YamlMap m, Problems p) {
    Node n = m.require("snapshotting");
    return n == null ? null : SnapshottingParser.snapshotting(n, p);
  }

  private static Job.Pruning pruning(YamlMap m, Problems p) {
    Node n = m.require("pruning");
    return n == null ? null : PruningParser.senderReceiver(n, p);
  }

  /** Exactly one of {@code root_fs} and {@code mapping}. */
  private static Target target(YamlMap m, Problems p) {
    Node root = m.get("root_fs");
    Node mapping = m.get("mapping");
    if (root != null && mapping != null) {
      p.error(
          m.keyNode("mapping"),
          m.what() + " has both 'root_fs' and 'mapping'; specify exactly one of them");
      return null;
    }
    if (root == null && mapping == null) {
      p.error(
          m.node(),
          "missing required key 'root_fs' in " + m.what() + " (or give a 'mapping' instead)");
      return null;
    }
    if (root != null) {
      DatasetPath path = ValueReads.parsed(root, "root_fs", DatasetPath::of, p);
      return path == null ? null : new Target.RootFs(path);
    }
    Mapping parsed = mapping(mapping, p);
    return parsed == null ? null : new Target.Mapped(parsed);
  }

  static Mapping mapping(Node node, Problems p) {
    if (node == null) {
      return null;
    }
    Map<String, NodeTuple> entries = ValueReads.scalarMap(node, "mapping", p);
    return entries == null
        ? null
        : Patterns.build(entries, node, ValueReads::values, Mapping::of, p);
  }

  private static Interval interval(Node node, Problems p) {
    if (node == null) {
      return null;
    }
    String s = ValueReads.string(node, "interval", p);
    if (s == null) {
      return null;
    }
    if (s.equals("manual")) {
      return Interval.manual();
    }
    var d = ValueReads.positiveDuration(node, "interval", null, p);
    return d == null ? null : Interval.every(d);
  }

  private static boolean allPresent(Object... parts) {
    for (Object o : parts) {
      if (o == null) {
        return false;
      }
    }
    return true;
  }
}
