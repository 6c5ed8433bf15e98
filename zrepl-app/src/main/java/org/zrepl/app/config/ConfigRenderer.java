package org.zrepl.app.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import org.zrepl.app.config.Options.BandwidthLimit;
import org.zrepl.app.config.Options.ConflictResolution;
import org.zrepl.app.config.Options.Recv;
import org.zrepl.app.config.Options.Replication;
import org.zrepl.app.config.Options.Send;
import org.zrepl.domain.prune.KeepRule;
import org.zrepl.domain.snapshot.Durations;

/**
 * Writes a {@link Config} back in zrepl's vocabulary with every default spelt out, as YAML (which
 * {@link ConfigLoader} reads back to the same configuration) or JSON.
 */
public final class ConfigRenderer {

  private ConfigRenderer() {}

  public static String yaml(Config config) {
    return yamlOf(tree(config));
  }

  /** A part of {@link #tree}, e.g. its {@code jobs} list, as YAML. */
  public static String yamlOf(Object tree) {
    DumperOptions o = new DumperOptions();
    o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    o.setIndent(2);
    o.setIndicatorIndent(0);
    return new Yaml(o).dump(tree);
  }

  public static String json(Config config) {
    return jsonOf(tree(config));
  }

  /** A part of {@link #tree}, e.g. its {@code jobs} list, as JSON. */
  public static String jsonOf(Object tree) {
    try {
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(tree)
          + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of maps, lists and scalars must serialize", e);
    }
  }

  /** The configuration as nested maps, lists, strings, numbers and booleans. */
  public static Map<String, Object> tree(Config config) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("global", global(config.global()));
    List<Object> jobs = new ArrayList<>();
    config.jobs().forEach(j -> jobs.add(job(j)));
    root.put("jobs", jobs);
    return root;
  }

  private static Map<String, Object> global(Global g) {
    Map<String, Object> m = new LinkedHashMap<>();
    List<Object> logging = new ArrayList<>();
    g.logging().forEach(o -> logging.add(outlet(o)));
    m.put("logging", logging);
    List<Object> monitoring = new ArrayList<>();
    for (Global.Monitoring mon : g.monitoring()) {
      Global.Monitoring.Prometheus p = (Global.Monitoring.Prometheus) mon;
      monitoring.add(
          map("type", "prometheus", "listen", p.listen(), "listen_freebind", p.listenFreebind()));
    }
    m.put("monitoring", monitoring);
    m.put("control", map("sockpath", g.controlSockpath().toString()));
    m.put("serve", map("stdinserver", map("sockdir", g.stdinserverSockdir().toString())));
    return m;
  }

  private static Map<String, Object> outlet(LoggingOutlet o) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (o instanceof LoggingOutlet.Stdout s) {
      m.put("type", "stdout");
      common(m, o);
      m.put("time", s.time());
      m.put("color", s.color());
    } else if (o instanceof LoggingOutlet.Syslog s) {
      m.put("type", "syslog");
      common(m, o);
      m.put("facility", s.facility());
      m.put("retry_interval", go(s.retryInterval()));
    } else {
      LoggingOutlet.Tcp t = (LoggingOutlet.Tcp) o;
      m.put("type", "tcp");
      common(m, o);
      m.put("address", t.address());
      m.put("net", t.net());
      m.put("retry_interval", go(t.retryInterval()));
      t.tls()
          .ifPresent(
              tls -> m.put("tls", map("ca", tls.ca(), "cert", tls.cert(), "key", tls.key())));
    }
    return m;
  }

  private static void common(Map<String, Object> m, LoggingOutlet o) {
    m.put("level", o.level().word());
    m.put("format", o.format().word());
  }

  private static Map<String, Object> job(Job job) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", job.name());
    m.put("type", job.type());
    if (job instanceof Job.Snap s) {
      m.put("filesystems", filter(s.filesystems()));
      m.put("snapshotting", snapshotting(s.snapshotting()));
      m.put("pruning", map("keep", rules(s.keep())));
    } else if (job instanceof Job.Push p) {
      m.put("connect", TransportRenderer.connect(p.connect()));
      m.put("filesystems", filter(p.filesystems()));
      m.put("snapshotting", snapshotting(p.snapshotting()));
      m.put("pruning", pruning(p.pruning()));
      m.put("send", send(p.send()));
      active(m, p.replication(), p.conflictResolution());
    } else if (job instanceof Job.Sink s) {
      m.put("serve", TransportRenderer.serve(s.serve()));
      target(m, s.target());
      m.put("recv", recv(s.recv()));
    } else if (job instanceof Job.Pull p) {
      m.put("connect", TransportRenderer.connect(p.connect()));
      target(m, p.target());
      m.put("interval", p.interval().every().map(Durations::format).orElse("manual"));
      m.put("pruning", pruning(p.pruning()));
      m.put("recv", recv(p.recv()));
      active(m, p.replication(), p.conflictResolution());
    } else if (job instanceof Job.Source s) {
      m.put("serve", TransportRenderer.serve(s.serve()));
      m.put("filesystems", filter(s.filesystems()));
      m.put("snapshotting", snapshotting(s.snapshotting()));
      m.put("send", send(s.send()));
      if (!s.keep().isEmpty()) {
        m.put("pruning", map("keep", rules(s.keep())));
      }
    } else {
      Job.Local l = (Job.Local) job;
      m.put("mapping", l.mapping().patterns());
      m.put("snapshotting", snapshotting(l.snapshotting()));
      m.put("pruning", pruning(l.pruning()));
      m.put("send", send(l.send()));
      m.put("recv", recv(l.recv()));
      active(m, l.replication(), l.conflictResolution());
    }
    return m;
  }

  /** A filter's patterns, with true/false as YAML booleans (zrepl's filters map to bool). */
  private static Map<String, Object> filter(Filesystems f) {
    Map<String, Object> m = new LinkedHashMap<>();
    f.patterns()
        .forEach(
            (k, v) ->
                m.put(k, v.equals("true") || v.equals("false") ? (Object) Boolean.valueOf(v) : v));
    return m;
  }

  private static void target(Map<String, Object> m, Target t) {
    if (t instanceof Target.RootFs r) {
      m.put("root_fs", r.root().toString());
    } else {
      m.put("mapping", ((Target.Mapped) t).mapping().patterns());
    }
  }

  private static void active(Map<String, Object> m, Replication r, ConflictResolution c) {
    Map<String, Object> replication =
        map(
            "protection",
            map("initial", r.initial().word(), "incremental", r.incremental().word()),
            "concurrency",
            map("steps", r.steps(), "size_estimates", r.sizeEstimates()));
    r.snapshotsRegex().ifPresent(x -> replication.put("snapshots", map("regex", x)));
    m.put("replication", replication);
    Map<String, Object> conflict = map("initial_replication", c.initialReplication().configName());
    c.rollbackReceiverSnapshots().ifPresent(x -> conflict.put("rollback_receiver_snapshots", x));
    m.put("conflict_resolution", conflict);
  }

  private static Map<String, Object> snapshotting(Snapshotting s) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (s instanceof Snapshotting.Periodic p) {
      m.put("type", "periodic");
      m.put("prefix", p.prefix());
      m.put("interval", Durations.format(p.interval()));
      timestamp(m, p.timestamp());
      m.put("hooks", hooks(p.hooks()));
    } else if (s instanceof Snapshotting.Cron c) {
      m.put("type", "cron");
      m.put("prefix", c.prefix());
      m.put("cron", c.cron().expression());
      timestamp(m, c.timestamp());
      m.put("hooks", hooks(c.hooks()));
    } else {
      m.put("type", "manual");
    }
    return m;
  }

  private static void timestamp(Map<String, Object> m, Snapshotting.TimestampFormat t) {
    m.put("timestamp_format", t.format());
    m.put("timestamp_location", t.location());
  }

  private static List<Object> hooks(List<Hook> hooks) {
    List<Object> out = new ArrayList<>();
    for (Hook h : hooks) {
      Map<String, Object> m = new LinkedHashMap<>();
      if (h instanceof Hook.Command c) {
        m.put("type", "command");
        m.put("path", c.path());
      }
      m.put("timeout", go(h.timeout()));
      m.put("filesystems", filter(h.filesystems()));
      m.put("err_is_fatal", h.errIsFatal());
      out.add(m);
    }
    return out;
  }

  private static Map<String, Object> pruning(Job.Pruning p) {
    return map("keep_sender", rules(p.keepSender()), "keep_receiver", rules(p.keepReceiver()));
  }

  private static List<Object> rules(List<KeepRule> rules) {
    List<Object> out = new ArrayList<>();
    for (KeepRule r : rules) {
      Map<String, Object> m = new LinkedHashMap<>();
      if (r instanceof KeepRule.KeepGrid g) {
        m.put("type", "grid");
        m.put("grid", g.grid().toString());
        m.put("regex", g.regex().pattern());
      } else if (r instanceof KeepRule.KeepLastN n) {
        m.put("type", "last_n");
        m.put("count", n.count());
        n.regex().ifPresent(re -> m.put("regex", re.pattern()));
      } else if (r instanceof KeepRule.KeepRegex re) {
        m.put("type", "regex");
        m.put("regex", re.regex().pattern());
        m.put("negate", re.negate());
      } else {
        m.put("type", "not_replicated");
        KeepRule.KeepNotReplicated nr = (KeepRule.KeepNotReplicated) r;
        m.put("keep_snapshot_at_cursor", nr.keepSnapshotAtCursor());
        if (nr.everyTarget()) {
          m.put("targets", "all");
        }
      }
      out.add(m);
    }
    return out;
  }

  private static Map<String, Object> send(Send s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("encrypted", s.encrypted());
    m.put("raw", s.raw());
    m.put("send_properties", s.sendProperties());
    m.put("backup_properties", s.backupProperties());
    m.put("large_blocks", s.largeBlocks());
    m.put("compressed", s.compressed());
    m.put("embedded_data", s.embeddedData());
    m.put("saved", s.saved());
    m.put("bandwidth_limit", limit(s.bandwidthLimit()));
    return m;
  }

  private static Map<String, Object> recv(Recv r) {
    return map(
        "properties",
        map("inherit", r.inheritProperties(), "override", r.overrideProperties()),
        "bandwidth_limit",
        limit(r.bandwidthLimit()),
        "placeholder",
        map("encryption", r.placeholderEncryption().word()));
  }

  private static Map<String, Object> limit(BandwidthLimit l) {
    return map("max", l.max().toString(), "bucket_capacity", l.bucketCapacity().toString());
  }

  /** Go's duration syntax, for fields zrepl reads with time.ParseDuration. */
  static String go(Duration d) {
    if (d.getNano() != 0) {
      return d.toMillis() + "ms";
    }
    long s = d.getSeconds();
    if (s != 0 && s % 3600 == 0) {
      return s / 3600 + "h";
    }
    if (s != 0 && s % 60 == 0) {
      return s / 60 + "m";
    }
    return s + "s";
  }

  static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }
}
