package org.zrepl.app.replication;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.zrepl.domain.replication.PlanningPolicy;

/**
 * How the engine replicates a job.
 *
 * @param planning initial replication, snapshot filter and conflict resolution
 * @param concurrencySteps how many steps run at once ({@code replication.concurrency.steps})
 * @param maxAttempts how often a step is tried when it fails temporarily; at least 1
 * @param retryInterval how long to wait before trying a step again
 * @param bandwidthLimits the job-wide bandwidth limits, each applied to every stream the engine
 *     moves (a local job has its sender's and its receiver's); empty for no limit
 * @param batchIntermediates merge consecutive incremental steps into one {@code zfs send -I}
 */
public record ReplicationPolicy(
    PlanningPolicy planning,
    int concurrencySteps,
    int maxAttempts,
    Duration retryInterval,
    List<BandwidthLimit> bandwidthLimits,
    boolean batchIntermediates) {

  public ReplicationPolicy {
    Objects.requireNonNull(planning, "planning");
    Objects.requireNonNull(retryInterval, "retryInterval");
    bandwidthLimits = List.copyOf(bandwidthLimits);
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
  }

  /** zrepl's defaults: one step at a time, 3 attempts 10 s apart, no limit, {@code -I} batching. */
  public static ReplicationPolicy defaults() {
    return new ReplicationPolicy(
        PlanningPolicy.defaults(), 1, 3, Duration.ofSeconds(10), List.of(), true);
  }

  public ReplicationPolicy withPlanning(PlanningPolicy p) {
    return new ReplicationPolicy(
        p, concurrencySteps, maxAttempts, retryInterval, bandwidthLimits, batchIntermediates);
  }

  public ReplicationPolicy withConcurrencySteps(int n) {
    return new ReplicationPolicy(
        planning, n, maxAttempts, retryInterval, bandwidthLimits, batchIntermediates);
  }

  public ReplicationPolicy withMaxAttempts(int n) {
    return new ReplicationPolicy(
        planning, concurrencySteps, n, retryInterval, bandwidthLimits, batchIntermediates);
  }

  public ReplicationPolicy withBandwidthLimits(List<BandwidthLimit> limits) {
    return new ReplicationPolicy(
        planning, concurrencySteps, maxAttempts, retryInterval, limits, batchIntermediates);
  }

  public ReplicationPolicy withBatchIntermediates(boolean b) {
    return new ReplicationPolicy(
        planning, concurrencySteps, maxAttempts, retryInterval, bandwidthLimits, b);
  }
}
