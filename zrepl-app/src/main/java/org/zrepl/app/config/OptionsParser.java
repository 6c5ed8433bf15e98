package org.zrepl.app.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Node;
import org.zrepl.app.config.Options.BandwidthLimit;
import org.zrepl.app.config.Options.ConflictResolution;
import org.zrepl.app.config.Options.PlaceholderEncryption;
import org.zrepl.app.config.Options.Protection;
import org.zrepl.app.config.Options.Recv;
import org.zrepl.app.config.Options.Replication;
import org.zrepl.app.config.Options.Send;
import org.zrepl.domain.replication.InitialReplication;

/** {@code replication}, {@code conflict_resolution}, {@code send} and {@code recv}. */
final class OptionsParser {

  private static final Map<String, InitialReplication> INITIAL_REPLICATION = new LinkedHashMap<>();

  static {
    for (InitialReplication r : InitialReplication.values()) {
      INITIAL_REPLICATION.put(r.configName(), r);
    }
  }

  private OptionsParser() {}

  /** Which job a {@code replication:} section belongs to: what its protection can reach. */
  enum ReplicationSide {
    /** Both ends in this process: every protection mode. */
    LOCAL,
    /** A push: the sink's half of {@code guarantee_nothing} cannot be carried over the RPC. */
    PUSH,
    /** A pull: the source's half of any mode but the default cannot be carried. */
    PULL
  }

  static Replication replication(Node node, Problems p) {
    return replication(node, ReplicationSide.LOCAL, p);
  }

  static Replication replication(Node node, ReplicationSide side, Problems p) {
    if (node == null) {
      return Replication.DEFAULT;
    }
    YamlMap m = YamlMap.of(node, "replication", p);
    if (m == null) {
      return null;
    }
    int before = p.count();
    Replication d = Replication.DEFAULT;
    Protection initial = d.initial();
    Protection incremental = d.incremental();
    Node protection = m.get("protection");
    if (protection != null) {
      YamlMap pm = YamlMap.of(protection, "replication.protection", p);
      if (pm != null) {
        Map<String, Protection> choices = ConfigWord.choices(Protection.class);
        Node i = pm.get("initial");
        initial = i == null ? initial : ValueReads.oneOf(i, "initial", choices, p);
        Node inc = pm.get("incremental");
        incremental = inc == null ? incremental : ValueReads.oneOf(inc, "incremental", choices, p);
        refuseUnreachable(i, "initial", initial, side, p);
        refuseUnreachable(inc, "incremental", incremental, side, p);
        pm.finish();
      }
    }
    Optional<String> snapshotsRegex = Optional.empty();
    Node snapshots = m.get("snapshots");
    if (snapshots != null) {
      YamlMap sm = YamlMap.of(snapshots, "replication.snapshots", p);
      if (sm != null) {
        snapshotsRegex =
            Optional.ofNullable(PruningParser.regex(sm.require("regex"), p)).map(Pattern::pattern);
        sm.finish();
      }
    }
    int steps = d.steps();
    int sizeEstimates = d.sizeEstimates();
    Node concurrency = m.get("concurrency");
    if (concurrency != null) {
      YamlMap cm = YamlMap.of(concurrency, "replication.concurrency", p);
      if (cm != null) {
        steps = atLeastOne(cm.get("steps"), "steps", steps, p);
        sizeEstimates = atLeastOne(cm.get("size_estimates"), "size_estimates", sizeEstimates, p);
        cm.finish();
      }
    }
    m.finish();
    return p.count() > before
        ? null
        : new Replication(initial, incremental, steps, sizeEstimates, snapshotsRegex);
  }

  private static int atLeastOne(Node n, String key, int dflt, Problems p) {
    if (n == null) {
      return dflt;
    }
    Long v = ValueReads.integer(n, key, p);
    if (v == null) {
      return dflt;
    }
    if (v < 1 || v > Integer.MAX_VALUE) {
      p.error(n, "'" + key + "' must be at least 1, got " + v);
      return dflt;
    }
    return v.intValue();
  }

  static ConflictResolution conflictResolution(Node node, Problems p) {
    if (node == null) {
      return ConflictResolution.DEFAULT;
    }
    YamlMap m = YamlMap.of(node, "conflict_resolution", p);
    if (m == null) {
      return null;
    }
    int before = p.count();
    Node n = m.get("initial_replication");
    InitialReplication r =
        n == null
            ? InitialReplication.MOST_RECENT
            : ValueReads.oneOf(n, "initial_replication", INITIAL_REPLICATION, p);
    Node rollback = m.get("rollback_receiver_snapshots");
    Pattern rollbackRegex = rollback == null ? null : PruningParser.regex(rollback, p);
    m.finish();
    return p.count() > before
        ? null
        : new ConflictResolution(r, Optional.ofNullable(rollbackRegex).map(Pattern::pattern));
  }

  static Send send(Node node, Problems p) {
    if (node == null) {
      return Send.DEFAULT;
    }
    YamlMap m = YamlMap.of(node, "send", p);
    if (m == null) {
      return null;
    }
    int before = p.count();
    Boolean encrypted = flag(m, "encrypted", p);
    Boolean raw = flag(m, "raw", p);
    Boolean sendProperties = flag(m, "send_properties", p);
    Boolean backupProperties = flag(m, "backup_properties", p);
    Boolean largeBlocks = flag(m, "large_blocks", p);
    Boolean compressed = flag(m, "compressed", p);
    Boolean embeddedData = flag(m, "embedded_data", p);
    Boolean saved = flag(m, "saved", p);
    BandwidthLimit limit = bandwidthLimit(m.get("bandwidth_limit"), p);
    m.finish();
    if (p.count() > before) {
      return null;
    }
    return new Send(
        encrypted,
        raw,
        sendProperties,
        backupProperties,
        largeBlocks,
        compressed,
        embeddedData,
        saved,
        limit);
  }

  private static Boolean flag(YamlMap m, String key, Problems p) {
    return ValueReads.bool(m.get(key), key, false, p);
  }

  static Recv recv(Node node, Problems p) {
    if (node == null) {
      return Recv.DEFAULT;
    }
    YamlMap m = YamlMap.of(node, "recv", p);
    if (m == null) {
      return null;
    }
    int before = p.count();
    List<String> inherit = List.of();
    Map<String, String> override = Map.of();
    Node props = m.get("properties");
    if (props != null) {
      YamlMap pm = YamlMap.of(props, "recv.properties", p);
      if (pm != null) {
        inherit = ValueReads.stringList(pm.get("inherit"), "inherit", p);
        Node o = pm.get("override");
        if (o != null) {
          Map<String, org.yaml.snakeyaml.nodes.NodeTuple> nodes =
              ValueReads.scalarMap(o, "override", p);
          override = nodes == null ? null : ValueReads.values(nodes);
          if (override != null) {
            checkMountpointOverride(nodes, override, p);
          }
        }
        pm.finish();
      }
    }
    BandwidthLimit limit = bandwidthLimit(m.get("bandwidth_limit"), p);
    PlaceholderEncryption encryption = PlaceholderEncryption.UNSPECIFIED;
    Node placeholder = m.get("placeholder");
    if (placeholder != null) {
      YamlMap pm = YamlMap.of(placeholder, "recv.placeholder", p);
      if (pm != null) {
        Node e = pm.get("encryption");
        encryption =
            e == null
                ? encryption
                : ValueReads.oneOf(
                    e, "encryption", ConfigWord.choices(PlaceholderEncryption.class), p);
        pm.finish();
      }
    }
    m.finish();
    return p.count() > before ? null : new Recv(inherit, override, limit, encryption);
  }

  /**
   * One {@code mountpoint} for every received filesystem would mount them all at one path outside
   * the receiver's tree (by default a replica's mountpoint is inherited from the receiving root and
   * the sender's is never taken); only values that mount nothing are accepted.
   */
  private static void checkMountpointOverride(
      Map<String, org.yaml.snakeyaml.nodes.NodeTuple> nodes,
      Map<String, String> override,
      Problems p) {
    String mp = override.get("mountpoint");
    if (mp != null && !mp.equals("none") && !mp.equals("legacy")) {
      p.error(
          nodes.get("mountpoint").getValueNode(),
          "recv.properties.override mountpoint '"
              + mp
              + "' would mount every received filesystem at that one path, outside the"
              + " receiver's tree; use 'none' or 'legacy', or leave it out: replicas inherit"
              + " their mountpoint from the receiving root and never take the sender's");
    }
  }

  static BandwidthLimit bandwidthLimit(Node node, Problems p) {
    if (node == null) {
      return BandwidthLimit.UNLIMITED;
    }
    YamlMap m = YamlMap.of(node, "bandwidth_limit", p);
    if (m == null) {
      return null;
    }
    int before = p.count();
    Node maxNode = m.get("max");
    DataSize max =
        maxNode == null
            ? BandwidthLimit.UNLIMITED.max()
            : ValueReads.parsed(maxNode, "max", DataSize::parse, p);
    Refusals.belowOneBytePerSecond(maxNode, max, p);
    Node bucketNode = m.get("bucket_capacity");
    DataSize bucket =
        bucketNode == null
            ? BandwidthLimit.UNLIMITED.bucketCapacity()
            : ValueReads.parsed(bucketNode, "bucket_capacity", DataSize::parse, p);
    m.finish();
    if (p.count() > before) {
      return null;
    }
    if (bucket.bytes() < 1) {
      p.error(bucketNode, "'bucket_capacity' must be at least 1 byte, got '" + bucket + "'");
      return null;
    }
    return new BandwidthLimit(max, bucket);
  }

  /**
   * A protection mode whose other half this implementation cannot carry to the peer is refused
   * where it is written, saying what it would have done and what to use instead: the RPC does not
   * carry {@code replication.protection} (zrepl's does), so a sink keeps its last-received hold and
   * a source holds every step as {@code guarantee_resumability} does.
   */
  private static void refuseUnreachable(
      Node at, String key, Protection mode, ReplicationSide side, Problems p) {
    if (at == null || mode == null) {
      return;
    }
    if (side == ReplicationSide.PUSH && mode == Protection.GUARANTEE_NOTHING) {
      p.error(
          at,
          "replication.protection."
              + key
              + " guarantee_nothing is not supported on a push job: it would also release the"
              + " sink's last-received hold, but this implementation does not carry the"
              + " protection to the sink; use guarantee_incremental (or a local job)");
    } else if (side == ReplicationSide.PULL && mode != Protection.GUARANTEE_RESUMABILITY) {
      p.error(
          at,
          "replication.protection."
              + key
              + " "
              + mode.word()
              + " is not supported on a pull job: it decides what the source holds and"
              + " bookmarks, but this implementation does not carry it to the source, which"
              + " holds every step as guarantee_resumability does; leave it at"
              + " guarantee_resumability");
    }
  }
}
