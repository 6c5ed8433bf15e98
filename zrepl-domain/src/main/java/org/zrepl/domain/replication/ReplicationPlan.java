package org.zrepl.domain.replication;

import java.util.List;
import java.util.Objects;
import org.zrepl.domain.version.FilesystemVersion;

/**
 * What {@link ReplicationPlanner} decided for one filesystem. Either something to do ({@link
 * Initial}, {@link Incremental}, {@link RollbackThenIncremental}), nothing to do ({@link
 * UpToDate}), or a {@link Conflict} that a person has to resolve.
 */
public sealed interface ReplicationPlan
    permits ReplicationPlan.UpToDate,
        ReplicationPlan.Initial,
        ReplicationPlan.Incremental,
        ReplicationPlan.RollbackThenIncremental,
        Conflict {

  /** One line for status output and logs, naming the snapshots involved. */
  String describe();

  /**
   * The receiver's newest snapshot is also the sender's newest (filtered) one.
   *
   * @param latest the receiver's newest snapshot
   */
  record UpToDate(FilesystemVersion latest) implements ReplicationPlan {
    public UpToDate {
      Objects.requireNonNull(latest, "latest");
    }

    @Override
    public String describe() {
      return "up to date at " + latest.relativeName();
    }
  }

  /**
   * The receiver has no snapshot: a full send of the first step's {@code to}, then (policy {@code
   * all}) incrementals to the newest.
   */
  record Initial(List<Step> steps) implements ReplicationPlan {
    public Initial {
      steps = List.copyOf(steps);
      if (steps.isEmpty() || !steps.get(0).isFull()) {
        throw new IllegalArgumentException(
            "initial replication starts with a full send, got " + steps);
      }
      StepChains.checkChained(steps);
    }

    @Override
    public String describe() {
      return "initial replication: " + StepChains.describeSteps(steps);
    }
  }

  /** The receiver's newest snapshot is on the sender; send what came after it. */
  record Incremental(List<Step> steps) implements ReplicationPlan {
    public Incremental {
      steps = List.copyOf(steps);
      if (steps.isEmpty()) {
        throw new IllegalArgumentException("an incremental plan needs at least one step");
      }
      StepChains.checkIncremental(steps);
    }

    @Override
    public String describe() {
      return "incremental: " + StepChains.describeSteps(steps);
    }
  }

  /**
   * The receiver diverged, but every snapshot it has after the common one matches the configured
   * conflict-resolution rule: roll the receiver back to {@code rollbackTo} (destroying {@code
   * destroyedOnReceiver}), then send {@code steps} (possibly none).
   *
   * @param rollbackTo the common snapshot, named as on the receiver
   * @param destroyedOnReceiver the receiver's snapshots after it, oldest first
   */
  record RollbackThenIncremental(
      FilesystemVersion rollbackTo, List<FilesystemVersion> destroyedOnReceiver, List<Step> steps)
      implements ReplicationPlan {
    public RollbackThenIncremental {
      Objects.requireNonNull(rollbackTo, "rollbackTo");
      destroyedOnReceiver = List.copyOf(destroyedOnReceiver);
      steps = List.copyOf(steps);
      if (destroyedOnReceiver.isEmpty()) {
        throw new IllegalArgumentException("a rollback destroys at least one snapshot");
      }
      StepChains.checkIncremental(steps);
    }

    @Override
    public String describe() {
      return "roll receiver back to "
          + rollbackTo.relativeName()
          + " destroying "
          + StepChains.names(destroyedOnReceiver)
          + (steps.isEmpty() ? "" : ", then incremental: " + StepChains.describeSteps(steps));
    }
  }
}
