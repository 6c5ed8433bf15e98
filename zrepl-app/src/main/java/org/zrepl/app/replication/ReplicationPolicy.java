package org.zrepl.app.replication;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalLong;
import org.zrepl.domain.replication.PlanningPolicy;

/**
 * How the engine replicates a job.
 *
 * @param planning initial replication, snapshot filter and conflict resolution
 * @param concurrencySteps how many steps run at once ({@code replication.concurrency.steps})
 * @param maxAttempts how often a step is tried when it fails temporarily; at least 1
 * @param retryInterval how long to wait before trying a step again
 * @param bandwidthLimit bytes per second for the whole job, or empty for no limit
 * @param batchIntermediates merge consecutive incremental steps into one {@code zfs send -I}
 */
public record ReplicationPolicy(
    PlanningPolicy planning,
    int concurrencySteps,
    int maxAttempts,
    Duration retryInterval,
    OptionalLong bandwidthLimit,
    boolean batchIntermediates) {

  public ReplicationPolicy {
    Objects.requireNonNull(planning, "planning");
    Objects.requireNonNull(retryInterval, "retryInterval");
    Objects.requireNonNull(bandwidthLimit, "bandwidthLimit");
    if (concurrencySteps < 1) {
      throw new IllegalArgumentException(
          "concurrencySteps must be positive, got " + concurrencySteps);
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be positive, got " + maxAttempts);
    }
    if (retryInterval.isNegative()) {
      throw new IllegalArgumentException(
          "retryInterval must not be negative, got " + retryInterval);
    }
    if (bandwidthLimit.isPresent() && bandwidthLimit.getAsLong() <= 0) {
      throw new IllegalArgumentException(
          "bandwidthLimit must be positive, got " + bandwidthLimit.getAsLong());
    }
  }

  /** zrepl's defaults: one step at a time, 3 attempts 10 s apart, no limit, {@code -I} batching. */
  public static ReplicationPolicy defaults() {
    return new ReplicationPolicy(
        PlanningPolicy.defaults(), 1, 3, Duration.ofSeconds(10), OptionalLong.empty(), true);
  }

  public ReplicationPolicy withPlanning(PlanningPolicy p) {
    return new ReplicationPolicy(
        p, concurrencySteps, maxAttempts, retryInterval, bandwidthLimit, batchIntermediates);
  }

  public ReplicationPolicy withConcurrencySteps(int n) {
    return new ReplicationPolicy(
        planning, n, maxAttempts, retryInterval, bandwidthLimit, batchIntermediates);
  }

  public ReplicationPolicy withMaxAttempts(int n) {
    return new ReplicationPolicy(
        planning, concurrencySteps, n, retryInterval, bandwidthLimit, batchIntermediates);
  }

  public ReplicationPolicy withBandwidthLimit(long bytesPerSecond) {
    return new ReplicationPolicy(
        planning,
        concurrencySteps,
        maxAttempts,
        retryInterval,
        OptionalLong.of(bytesPerSecond),
        batchIntermediates);
  }

  public ReplicationPolicy withBatchIntermediates(boolean b) {
    return new ReplicationPolicy(
        planning, concurrencySteps, maxAttempts, retryInterval, bandwidthLimit, b);
  }
}
