package org.zrepl.app.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Minimal valid configurations, one per place a key can live ("context"), and the same with one key
 * set: what {@code ConfigReferenceTest} loads to show that a documented key is accepted or refused.
 * A context is a job type, or a typed section ({@code connect[tls]}, {@code hooks[command]}, {@code
 * global.logging[tcp]}, ...) inside the job type that hosts it.
 */
final class KeyConfigs {

  /** A configuration, and where in it the context's map is (dot-separated keys and indices). */
  record Base(String jobs, String anchor, String section) {}

  private static final String PRUNE_BOTH =
      "pruning: {keep_sender: [{type: last_n, count: 1}], keep_receiver: [{type: last_n, count:"
          + " 1}]}";
  private static final Map<String, String> JOBS =
      Map.of(
          "snap",
          "[{name: j, type: snap, filesystems: {'pool<': true}, snapshotting: {type: periodic,"
              + " prefix: zrepl_, interval: 10m}, pruning: {keep: [{type: last_n, count: 1}]}}]",
          "push",
          "[{name: j, type: push, connect: {type: tcp, address: 'b:1'}, filesystems: {'pool<':"
              + " true}, snapshotting: {type: manual}, "
              + PRUNE_BOTH
              + "}]",
          "sink",
          "[{name: j, type: sink, serve: {type: tcp, listen: ':8888', clients: {'10.0.0.1':"
              + " alice}}, root_fs: backup/sink}]",
          "pull",
          "[{name: j, type: pull, connect: {type: tcp, address: 'b:1'}, root_fs: backup/pull,"
              + " interval: 10m, "
              + PRUNE_BOTH
              + "}]",
          "source",
          "[{name: j, type: source, serve: {type: tcp, listen: ':8888', clients: {'10.0.0.1':"
              + " alice}}, filesystems: {'pool<': true}, snapshotting: {type: manual}}]",
          "local",
          "[{name: j, type: local, mapping: {'pool<': backup/local}, snapshotting: {type: manual}, "
              + PRUNE_BOTH
              + "}]",
          "push+localsink",
          "[{name: j, type: push, connect: {type: local, listener_name: l, client_identity: alice},"
              + " filesystems: {'pool<': true}, snapshotting: {type: manual}, "
              + PRUNE_BOTH
              + "}, {name: s, type: sink, serve: {type: local, listener_name: l}, root_fs:"
              + " backup/sink}]",
          "none",
          "[]");

  /** The typed contexts: the parsers' every type, each in a job (or global) that hosts it. */
  static final Map<String, Base> TYPED = new LinkedHashMap<>();

  static {
    typed("connect[tcp]", "push", "jobs.0.connect", "{type: tcp, address: 'b:1'}");
    typed(
        "connect[tls]",
        "push",
        "jobs.0.connect",
        "{type: tls, address: 'b:1', ca: ca.pem, cert: c.pem, key: k.pem, server_cn: backup}");
    typed(
        "connect[ssh+stdinserver]",
        "push",
        "jobs.0.connect",
        "{type: ssh+stdinserver, host: b, user: root, port: 22, identity_file: /etc/zrepl/id}");
    typed(
        "connect[local]",
        "push+localsink",
        "jobs.0.connect",
        "{type: local, listener_name: l, client_identity: alice}");
    typed(
        "serve[tcp]", "sink", "jobs.0.serve", "{type: tcp, listen: ':8888', clients: {'::1': a}}");
    typed(
        "serve[tls]",
        "sink",
        "jobs.0.serve",
        "{type: tls, listen: ':8888', ca: ca.pem, cert: c.pem, key: k.pem, client_cns: [alice]}");
    typed(
        "serve[stdinserver]",
        "sink",
        "jobs.0.serve",
        "{type: stdinserver, client_identities: [a]}");
    typed("serve[local]", "sink", "jobs.0.serve", "{type: local, listener_name: l}");
    typed(
        "snapshotting[periodic]",
        "snap",
        "jobs.0.snapshotting",
        "{type: periodic, prefix: zrepl_, interval: 10m}");
    typed(
        "snapshotting[cron]",
        "snap",
        "jobs.0.snapshotting",
        "{type: cron, prefix: zrepl_, cron: '0 3 * * *'}");
    typed("snapshotting[manual]", "push", "jobs.0.snapshotting", "{type: manual}");
    typed(
        "hooks[command]",
        "snap",
        "jobs.0.snapshotting.hooks.0",
        "{type: command, path: /bin/true}");
    typed(
        "hooks[postgres-checkpoint]",
        "snap",
        "jobs.0.snapshotting.hooks.0",
        "{type: postgres-checkpoint, dsn: 'host=db', filesystems: {'pool<': true}}");
    typed(
        "hooks[mysql-lock-tables]",
        "snap",
        "jobs.0.snapshotting.hooks.0",
        "{type: mysql-lock-tables, dsn: 'root@/', filesystems: {'pool<': true}}");
    typed("keep[grid]", "snap", "jobs.0.pruning.keep.0", "{type: grid, grid: 1x1h, regex: '^z'}");
    typed("keep[last_n]", "snap", "jobs.0.pruning.keep.0", "{type: last_n, count: 1}");
    typed("keep[regex]", "snap", "jobs.0.pruning.keep.0", "{type: regex, regex: '^z'}");
    typed("keep[not_replicated]", "push", "jobs.0.pruning.keep_sender.0", "{type: not_replicated}");
    typed(
        "global.logging[stdout]",
        "none",
        "global.logging.0",
        "{type: stdout, level: warn, format: human}");
    typed(
        "global.logging[syslog]",
        "none",
        "global.logging.0",
        "{type: syslog, level: warn, format: human}");
    typed(
        "global.logging[tcp]",
        "none",
        "global.logging.0",
        "{type: tcp, level: warn, format: human, address: 'log:514'}");
    typed(
        "global.monitoring[prometheus]",
        "none",
        "global.monitoring.0",
        "{type: prometheus, listen: ':9811'}");
  }

  private static void typed(String context, String jobs, String anchor, String section) {
    TYPED.put(context, new Base(jobs, anchor, section));
  }

  /** Which job type hosts the untyped job-level keys ({@code job.root_fs}, {@code send.raw}). */
  private static String hostJob(String id) {
    if (id.equals("job.serve") || id.equals("job.root_fs") || id.startsWith("recv.")) {
      return "sink";
    }
    if (id.equals("job.mapping") || id.startsWith("replication.protection.")) {
      return "local";
    }
    if (id.equals("job.interval")) {
      return "pull";
    }
    if (id.equals("pruning.keep")) {
      return "snap";
    }
    return "push";
  }

  private KeyConfigs() {}

  /** The type that stands for {@code all} ({@code [*]}) in {@code context}. */
  static String anyType(String context) {
    if (context.startsWith("hooks")) {
      return "[command]";
    }
    return context.startsWith("serve") ? "[tcp]" : "[stdout]";
  }

  /** Every context's minimal configuration, typed ones and one per job type. */
  static Map<String, String> everyContext() {
    Map<String, String> out = new LinkedHashMap<>();
    for (String t : JobParser.TYPES) {
      out.put("job[" + t + "]", render(load(t, null, null), null, null, null));
    }
    TYPED.forEach(
        (name, b) -> out.put(name, render(load(b.jobs, b.anchor, b.section), null, null, null)));
    return out;
  }

  /**
   * The minimal configuration of {@code id}'s context with {@code id} set to {@code value} (YAML
   * flow text), or without setting anything if {@code value} is null.
   */
  static String with(String id, String value) {
    int bracket = id.lastIndexOf(']');
    if (bracket >= 0) {
      String context = id.substring(0, bracket + 1);
      String rel = id.substring(bracket + 2);
      Base b = TYPED.get(context.replace("[*]", anyType(context)));
      if (b == null) {
        throw new IllegalArgumentException("no minimal configuration for " + context);
      }
      return render(load(b.jobs, b.anchor, b.section), b.anchor, rel, value);
    }
    if (id.startsWith("global.")) {
      return render(load("none", null, null), "", id, value);
    }
    if (id.equals("global") || id.equals("jobs") || id.equals("include")) {
      return render(load("push", null, null), "", id, value);
    }
    String rel = id.startsWith("job.") ? id.substring(4) : id;
    return render(load(hostJob(id), null, null), "jobs.0", rel, value);
  }

  private static Map<String, Object> load(String jobs, String anchor, String section) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("jobs", new Yaml().load(JOBS.get(jobs)));
    if (anchor != null) {
      put(root, anchor, new Yaml().load(section));
    }
    return root;
  }

  private static String render(Map<String, Object> root, String anchor, String rel, String value) {
    if (rel != null && value != null) {
      put(root, anchor.isEmpty() ? rel : anchor + "." + rel, new Yaml().load(value));
    }
    DumperOptions o = new DumperOptions();
    o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    o.setIndent(2);
    return new Yaml(o).dump(root);
  }

  /** Sets the value at a dot path, creating maps (and lists, for numeric steps) on the way. */
  @SuppressWarnings("unchecked")
  private static void put(Map<String, Object> root, String path, Object value) {
    String[] steps = path.split("\\.", 0);
    Object at = root;
    for (int i = 0; i < steps.length; i++) {
      boolean last = i == steps.length - 1;
      String step = steps[i];
      boolean nextIsIndex = !last && steps[i + 1].matches("\\d+");
      if (at instanceof List<?> list) {
        List<Object> l = (List<Object>) list;
        int index = Integer.parseInt(step);
        if (last) {
          if (index < l.size()) {
            l.set(index, value);
          } else {
            l.add(value);
          }
          return;
        }
        if (index >= l.size()) {
          l.add(nextIsIndex ? new ArrayList<>() : new LinkedHashMap<>());
        }
        at = l.get(index);
      } else {
        Map<String, Object> m = (Map<String, Object>) at;
        if (last) {
          m.put(step, value);
          return;
        }
        at = m.computeIfAbsent(step, k -> nextIsIndex ? new ArrayList<>() : new LinkedHashMap<>());
      }
    }
  }
}
