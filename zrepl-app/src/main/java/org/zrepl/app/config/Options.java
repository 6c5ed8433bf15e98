package org.zrepl.app.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.zrepl.domain.replication.InitialReplication;

/** The option sections shared by several job types. */
public final class Options {

  private Options() {}

  /** {@code replication.protection.*}. */
  public enum Protection implements ConfigWord {
    GUARANTEE_RESUMABILITY("guarantee_resumability"),
    GUARANTEE_INCREMENTAL("guarantee_incremental"),
    GUARANTEE_NOTHING("guarantee_nothing");

    private final String word;

    Protection(String word) {
      this.word = word;
    }

    @Override
    public String word() {
      return word;
    }
  }

  /** {@code recv.placeholder.encryption}. */
  public enum PlaceholderEncryption implements ConfigWord {
    UNSPECIFIED("unspecified"),
    INHERIT("inherit"),
    OFF("off");

    private final String word;

    PlaceholderEncryption(String word) {
      this.word = word;
    }

    @Override
    public String word() {
      return word;
    }
  }

  /** {@code replication}: defaults guarantee_resumability twice, 1 step, 4 size estimates. */
  public record Replication(
      Protection initial,
      Protection incremental,
      int steps,
      int sizeEstimates,
      Optional<String> snapshotsRegex) {
    public static final Replication DEFAULT =
        new Replication(
            Protection.GUARANTEE_RESUMABILITY,
            Protection.GUARANTEE_RESUMABILITY,
            1,
            4,
            Optional.empty());

    public Replication {
      Objects.requireNonNull(initial, "initial");
      Objects.requireNonNull(incremental, "incremental");
      Objects.requireNonNull(snapshotsRegex, "snapshotsRegex");
      if (steps < 1) {
        throw new IllegalArgumentException("concurrency.steps must be at least 1, got " + steps);
      }
      if (sizeEstimates < 1) {
        throw new IllegalArgumentException(
            "concurrency.size_estimates must be at least 1, got " + sizeEstimates);
      }
    }
  }

  /**
   * {@code conflict_resolution}: zrepl's {@code initial_replication}, and (not in zrepl) {@code
   * rollback_receiver_snapshots}, a regex: when the receiver has snapshots after the common one and
   * every one of them matches, the receiver is rolled back to the common snapshot (destroying them)
   * instead of stopping with a "diverged" conflict. Empty (the default): never roll back.
   */
  public record ConflictResolution(
      InitialReplication initialReplication, Optional<String> rollbackReceiverSnapshots) {
    public static final ConflictResolution DEFAULT =
        new ConflictResolution(InitialReplication.MOST_RECENT, Optional.empty());

    public ConflictResolution {
      Objects.requireNonNull(initialReplication, "initialReplication");
      Objects.requireNonNull(rollbackReceiverSnapshots, "rollbackReceiverSnapshots");
    }
  }

  /** {@code bandwidth_limit}: {@code max} (negative = unlimited, the default) and bucket size. */
  public record BandwidthLimit(DataSize max, DataSize bucketCapacity) {
    public static final BandwidthLimit UNLIMITED =
        new BandwidthLimit(DataSize.ofBytes(-1), DataSize.ofBytes(128 * 1024));

    public BandwidthLimit {
      Objects.requireNonNull(max, "max");
      Objects.requireNonNull(bucketCapacity, "bucketCapacity");
      if (bucketCapacity.bits() <= 0) {
        throw new IllegalArgumentException(
            "bucket_capacity must be positive, got " + bucketCapacity);
      }
    }

    public boolean isUnlimited() {
      return max.isNegative();
    }
  }

  /** {@code send}: zfs send flags (all off by default) and a bandwidth limit. */
  public record Send(
      boolean encrypted,
      boolean raw,
      boolean sendProperties,
      boolean backupProperties,
      boolean largeBlocks,
      boolean compressed,
      boolean embeddedData,
      boolean saved,
      BandwidthLimit bandwidthLimit) {
    public static final Send DEFAULT =
        new Send(false, false, false, false, false, false, false, false, BandwidthLimit.UNLIMITED);

    public Send {
      Objects.requireNonNull(bandwidthLimit, "bandwidthLimit");
    }
  }

  /** {@code recv}: property handling, bandwidth limit, placeholder encryption. */
  public record Recv(
      List<String> inheritProperties,
      Map<String, String> overrideProperties,
      BandwidthLimit bandwidthLimit,
      PlaceholderEncryption placeholderEncryption) {
    public static final Recv DEFAULT =
        new Recv(List.of(), Map.of(), BandwidthLimit.UNLIMITED, PlaceholderEncryption.UNSPECIFIED);

    public Recv {
      inheritProperties = List.copyOf(inheritProperties);
      overrideProperties = Collections.unmodifiableMap(new LinkedHashMap<>(overrideProperties));
      Objects.requireNonNull(bandwidthLimit, "bandwidthLimit");
      Objects.requireNonNull(placeholderEncryption, "placeholderEncryption");
    }
  }
}
