package org.zrepl.app.job;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.zrepl.app.config.Job;
import org.zrepl.app.config.Options;
import org.zrepl.app.endpoint.LocalReceiver;
import org.zrepl.app.endpoint.LocalSender;
import org.zrepl.app.endpoint.PlaceholderEncryption;
import org.zrepl.app.endpoint.Protection;
import org.zrepl.app.endpoint.ReceiverMapping;
import org.zrepl.app.replication.BandwidthLimit;
import org.zrepl.app.replication.ReplicationPolicy;
import org.zrepl.domain.dataset.DatasetFilter;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.replication.PlanningPolicy;
import org.zrepl.port.zfs.SendFlag;
import org.zrepl.port.zfs.Zfs;

/**
 * How a replicating job's configuration binds to the engine and the endpoints: the {@link
 * ReplicationPolicy} (initial replication from {@code conflict_resolution}, {@code
 * replication.concurrency.steps}, the job's bandwidth limits), the {@code zfs send} flags of {@code
 * send:} and the {@code zfs recv} options of {@code recv:}. The same for {@code local}, {@code
 * push} and {@code pull}; push and pull use it with the RPC endpoints.
 */
public final class ReplicationBinding {

  private ReplicationBinding() {}

  /**
   * A local job's policy; both its send and its recv bandwidth limit apply, one after the other, as
   * zrepl's sender and receiver each wrap the stream in their own bucket.
   */
  public static ReplicationPolicy policy(Job.Local job) {
    return policy(
        job.replication(),
        job.conflictResolution(),
        List.of(job.send().bandwidthLimit(), job.recv().bandwidthLimit()));
  }

  /** A push job's policy: it sends, so its {@code send.bandwidth_limit} applies. */
  public static ReplicationPolicy policy(Job.Push job) {
    return policy(
        job.replication(), job.conflictResolution(), List.of(job.send().bandwidthLimit()));
  }

  /** A pull job's policy: it receives, so its {@code recv.bandwidth_limit} applies. */
  public static ReplicationPolicy policy(Job.Pull job) {
    return policy(
        job.replication(), job.conflictResolution(), List.of(job.recv().bandwidthLimit()));
  }

  static ReplicationPolicy policy(
      Options.Replication replication,
      Options.ConflictResolution conflict,
      List<Options.BandwidthLimit> limits) {
    Objects.requireNonNull(replication, "replication");
    PlanningPolicy planning =
        PlanningPolicy.defaults().withInitialReplication(conflict.initialReplication());
    planning =
        replication
            .snapshotsRegex()
            .map(Pattern::compile)
            .map(planning::withSnapshotFilter)
            .orElse(planning);
    planning =
        conflict
            .rollbackReceiverSnapshots()
            .map(Pattern::compile)
            .map(planning::withRollbackRule)
            .orElse(planning);
    ReplicationPolicy p =
        ReplicationPolicy.defaults()
            .withPlanning(planning)
            .withConcurrencySteps(replication.steps());
    return p.withBandwidthLimits(
        limits.stream().map(ReplicationBinding::bandwidthLimit).flatMap(Optional::stream).toList());
  }

  /**
   * A {@code bandwidth_limit} in bytes: {@code max} per second and {@code bucket_capacity} (each at
   * least 1, as the loader checks); empty if unlimited.
   */
  public static Optional<BandwidthLimit> bandwidthLimit(Options.BandwidthLimit limit) {
    if (limit.isUnlimited()) {
      return Optional.empty();
    }
    return Optional.of(
        new BandwidthLimit(
            Math.max(1L, (long) Math.floor(limit.max().bytes())),
            Math.max(1L, (long) Math.floor(limit.bucketCapacity().bytes()))));
  }

  /**
   * The {@code zfs send} flags of {@code send:}. {@code encrypted: true} sends raw ({@code -w}), as
   * in zrepl.
   */
  public static Set<SendFlag> sendFlags(Options.Send send) {
    Set<SendFlag> flags = EnumSet.noneOf(SendFlag.class);
    if (send.raw() || send.encrypted()) {
      flags.add(SendFlag.RAW);
    }
    if (send.sendProperties()) {
      flags.add(SendFlag.PROPERTIES);
    }
    if (send.backupProperties()) {
      flags.add(SendFlag.BACKUP_PROPERTIES);
    }
    if (send.largeBlocks()) {
      flags.add(SendFlag.LARGE_BLOCKS);
    }
    if (send.compressed()) {
      flags.add(SendFlag.COMPRESSED);
    }
    if (send.embeddedData()) {
      flags.add(SendFlag.EMBEDDED_DATA);
    }
    if (send.saved()) {
      flags.add(SendFlag.SAVED);
    }
    return Set.copyOf(flags);
  }

  /**
   * The sender of a job that sends ({@code local}, {@code push}, {@code source}) with its {@code
   * send:} settings: flags and the {@code send.encrypted} policy.
   *
   * @throws IllegalArgumentException naming the job and {@code send.encrypted} if the ZFS cannot do
   *     encrypted sends
   */
  public static LocalSender sender(Zfs zfs, DatasetFilter filter, String job, Options.Send send) {
    return sender(zfs, filter, job, send, Protection.defaults());
  }

  /** As above, with the job's {@code replication.protection}. */
  public static LocalSender sender(
      Zfs zfs, DatasetFilter filter, String job, Options.Send send, Protection protection) {
    try {
      return new LocalSender(zfs, filter, job, sendFlags(send), send.encrypted(), protection);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("job '" + job + "': " + e.getMessage(), e);
    }
  }

  /**
   * The receiver of a job that receives ({@code local}, {@code pull}, {@code sink}) with its {@code
   * recv:} settings: property overrides and exclusions, {@code placeholder.encryption}.
   *
   * @param clientRoot a sink's {@code root_fs/<client identity>}, else empty
   */
  public static LocalReceiver receiver(
      Zfs zfs,
      ReceiverMapping mapping,
      String job,
      Options.Recv recv,
      Optional<DatasetPath> clientRoot) {
    return new LocalReceiver(
        zfs,
        mapping,
        job,
        receiveOverrides(recv),
        receiveExclusions(recv),
        placeholderEncryption(recv.placeholderEncryption()),
        clientRoot);
  }

  /** {@code replication.protection}. */
  public static Protection protection(Options.Replication replication) {
    return new Protection(kind(replication.initial()), kind(replication.incremental()));
  }

  private static Protection.Kind kind(Options.Protection p) {
    return switch (p) {
      case GUARANTEE_RESUMABILITY -> Protection.Kind.RESUMABILITY;
      case GUARANTEE_INCREMENTAL -> Protection.Kind.INCREMENTAL;
      case GUARANTEE_NOTHING -> Protection.Kind.NOTHING;
    };
  }

  /**
   * A push job's protection: the sink's half (the last-received hold, which {@code
   * guarantee_nothing} drops) is not carried over the RPC, so {@code guarantee_nothing} is refused.
   */
  static Protection pushProtection(String job, Options.Replication replication) {
    Protection p = protection(replication);
    if (p.initial() == Protection.Kind.NOTHING || p.incremental() == Protection.Kind.NOTHING) {
      throw new IllegalArgumentException(
          "job '"
              + job
              + "': replication.protection guarantee_nothing would also drop the sink's"
              + " last-received hold, but this implementation's RPC does not carry the protection"
              + " to the sink, which would keep it; use guarantee_incremental (or a local job)");
    }
    return p;
  }

  /**
   * A pull job's protection: the source's half (step holds, tentative cursors, the cursor) is not
   * carried over the RPC, so only the default is accepted.
   */
  static Protection pullProtection(String job, Options.Replication replication) {
    Protection p = protection(replication);
    if (!p.equals(Protection.defaults())) {
      throw new IllegalArgumentException(
          "job '"
              + job
              + "': replication.protection "
              + replication.initial().word()
              + "/"
              + replication.incremental().word()
              + " decides what the source holds and bookmarks, but this implementation's RPC"
              + " does not carry it to the source, which would hold every step as"
              + " guarantee_resumability does; leave replication.protection at its default");
    }
    return p;
  }

  static PlaceholderEncryption placeholderEncryption(Options.PlaceholderEncryption e) {
    return switch (e) {
      case UNSPECIFIED -> PlaceholderEncryption.UNSPECIFIED;
      case INHERIT -> PlaceholderEncryption.INHERIT;
      case OFF -> PlaceholderEncryption.OFF;
    };
  }

  /** {@code recv.properties.override}: {@code zfs recv -o name=value}. */
  public static Map<String, String> receiveOverrides(Options.Recv recv) {
    return Map.copyOf(recv.overrideProperties());
  }

  /** {@code recv.properties.inherit}: {@code zfs recv -x name}. */
  public static Set<String> receiveExclusions(Options.Recv recv) {
    return Set.copyOf(recv.inheritProperties());
  }
}
