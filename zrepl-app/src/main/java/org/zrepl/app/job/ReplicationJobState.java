package org.zrepl.app.job;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import org.zrepl.app.prune.FilesystemPruneResult;
import org.zrepl.app.prune.PruneReport;
import org.zrepl.app.replication.FilesystemResult;
import org.zrepl.app.replication.ReplicationReport;
import org.zrepl.app.replication.StatusBoard;
import org.zrepl.app.snapshot.SnapshotOutcome;
import org.zrepl.app.snapshot.SnapshotRound;
import org.zrepl.domain.dataset.DatasetPath;

/**
 * What a local job is doing, for status output and {@code zrepl run --once}: an immutable snapshot
 * of its state.
 *
 * @param job the job's name
 * @param running whether its loop is started
 * @param replicating whether an invocation (replicate, then prune both sides) is in progress
 * @param lastInvocationAt when the last invocation started
 * @param lastSnapshots the last snapshot round, per filesystem
 * @param lastReplication the last replication run's report
 * @param replicationTimes per filesystem, from its first step's start to its last step's end in the
 *     last run (for the rate)
 * @param progress the engine's latest status per filesystem (live during a run)
 * @param senderPrune the last prune run on the sending side
 * @param receiverPrune the last prune run on the receiving side
 * @param nextSnapshotDue when the loop's next snapshot round is due; empty for manual or stopped
 * @param errors problems of the last invocation or snapshot round, one line each, naming the
 *     filesystem
 */
public record ReplicationJobState(
    String job,
    boolean running,
    boolean replicating,
    Optional<Instant> lastInvocationAt,
    Optional<SnapshotRound> lastSnapshots,
    Optional<ReplicationReport> lastReplication,
    Map<DatasetPath, Duration> replicationTimes,
    Map<DatasetPath, StatusBoard.FilesystemStatus> progress,
    Optional<PruneReport> senderPrune,
    Optional<PruneReport> receiverPrune,
    Optional<Instant> nextSnapshotDue,
    List<String> errors) {

  public ReplicationJobState {
    Objects.requireNonNull(job, "job");
    Objects.requireNonNull(lastInvocationAt, "lastInvocationAt");
    Objects.requireNonNull(lastSnapshots, "lastSnapshots");
    Objects.requireNonNull(lastReplication, "lastReplication");
    replicationTimes = Map.copyOf(replicationTimes);
    progress = Map.copyOf(progress);
    Objects.requireNonNull(senderPrune, "senderPrune");
    Objects.requireNonNull(receiverPrune, "receiverPrune");
    Objects.requireNonNull(nextSnapshotDue, "nextSnapshotDue");
    errors = List.copyOf(errors);
  }

  /** Every filesystem of the last invocation was snapshotted (if due), replicated and pruned. */
  public boolean succeeded() {
    return errors.isEmpty();
  }

  /**
   * The filesystems that need attention after the last invocation: a failed snapshot, a conflict or
   * failed replication, a snapshot pruning could not destroy. Sorted.
   */
  public NavigableSet<DatasetPath> failedDatasets() {
    NavigableSet<DatasetPath> failed = new TreeSet<>();
    lastSnapshots.ifPresent(
        r ->
            r.results()
                .forEach(
                    (fs, o) -> {
                      if (!(o instanceof SnapshotOutcome.Taken)) {
                        failed.add(fs);
                      }
                    }));
    lastReplication.ifPresent(
        r -> r.needingAttention().stream().map(FilesystemResult::filesystem).forEach(failed::add));
    for (Optional<PruneReport> p : List.of(senderPrune, receiverPrune)) {
      p.ifPresent(
          r ->
              r.filesystems().stream()
                  .filter(f -> !f.failed().isEmpty())
                  .map(FilesystemPruneResult::fs)
                  .forEach(failed::add));
    }
    return failed;
  }

  ReplicationJobState withProgress(Map<DatasetPath, StatusBoard.FilesystemStatus> p) {
    return new ReplicationJobState(
        job,
        running,
        replicating,
        lastInvocationAt,
        lastSnapshots,
        lastReplication,
        replicationTimes,
        p,
        senderPrune,
        receiverPrune,
        nextSnapshotDue,
        errors);
  }

  ReplicationJobState withLoop(boolean isRunning, Optional<Instant> next) {
    return new ReplicationJobState(
        job,
        isRunning,
        replicating,
        lastInvocationAt,
        lastSnapshots,
        lastReplication,
        replicationTimes,
        progress,
        senderPrune,
        receiverPrune,
        next,
        errors);
  }

  ReplicationJobState withReplicating(boolean r) {
    return new ReplicationJobState(
        job,
        running,
        r,
        lastInvocationAt,
        lastSnapshots,
        lastReplication,
        replicationTimes,
        progress,
        senderPrune,
        receiverPrune,
        nextSnapshotDue,
        errors);
  }

  ReplicationJobState withSnapshots(Optional<SnapshotRound> round, List<String> errs) {
    return new ReplicationJobState(
        job,
        running,
        replicating,
        lastInvocationAt,
        round,
        lastReplication,
        replicationTimes,
        progress,
        senderPrune,
        receiverPrune,
        nextSnapshotDue,
        errs);
  }

  /** The state after {@code o}: not replicating, the invocation's results and errors. */
  ReplicationJobState after(InvocationRun.Outcome o) {
    return new ReplicationJobState(
        job,
        running,
        false,
        Optional.of(o.at()),
        o.snapshots().or(() -> lastSnapshots),
        Optional.of(o.replication().report()),
        o.replication().times(),
        Map.of(),
        o.senderPrune(),
        o.receiverPrune(),
        nextSnapshotDue,
        o.errors());
  }

  static ReplicationJobState initial(String job) {
    return new ReplicationJobState(
        job,
        false,
        false,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Map.of(),
        Map.of(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        List.of());
  }
}
