package org.zrepl.app.job;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zrepl.app.prune.PruneReport;
import org.zrepl.app.replication.Cancellation;
import org.zrepl.app.snapshot.SnapshotRound;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.port.endpoint.Receiver;

/**
 * One invocation of a replicating job, in zrepl's order: a snapshot round if one is due (or
 * forced), replicate, prune the sender ({@code keep_sender}), prune the receiver ({@code
 * keep_receiver}). A {@link Cancellation} ({@code zrepl signal reset}, or the job stopping) aborts
 * the replication and skips both prunings. Problems do not stop the invocation: each is an error
 * line in the {@link Outcome}, and the next step runs.
 */
final class InvocationRun {

  private static final Logger LOG = LoggerFactory.getLogger(InvocationRun.class);

  /**
   * What one invocation did.
   *
   * @param at when it started
   * @param snapshots the snapshot round it took, if any
   * @param replication the replication run
   * @param senderPrune the sender's pruning; empty if skipped or its listing failed
   * @param receiverPrune the receiver's pruning; empty if skipped or its listing failed
   * @param senderPruneTime how long pruning the sender took; empty if it did not run
   * @param receiverPruneTime how long pruning the receiver took; empty if it did not run
   * @param errors every problem, one line each
   */
  record Outcome(
      Instant at,
      Optional<SnapshotRound> snapshots,
      ReplicationRound.Result replication,
      Optional<PruneReport> senderPrune,
      Optional<PruneReport> receiverPrune,
      Optional<Duration> senderPruneTime,
      Optional<Duration> receiverPruneTime,
      List<String> errors) {
    Outcome {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(snapshots, "snapshots");
      Objects.requireNonNull(replication, "replication");
      Objects.requireNonNull(senderPrune, "senderPrune");
      Objects.requireNonNull(receiverPrune, "receiverPrune");
      Objects.requireNonNull(senderPruneTime, "senderPruneTime");
      Objects.requireNonNull(receiverPruneTime, "receiverPruneTime");
      errors = List.copyOf(errors);
    }
  }

  private final String job;
  private final JobSnapshotting snapshotting;
  private final ReplicationRound replication;
  private final PruningRound senderPruning;
  private final PruningRound receiverPruning;
  private final Receiver receiver;
  private final Clock clock;

  InvocationRun(
      String job,
      JobSnapshotting snapshotting,
      ReplicationRound replication,
      PruningRound senderPruning,
      PruningRound receiverPruning,
      Receiver receiver,
      Clock clock) {
    this.job = Objects.requireNonNull(job, "job");
    this.snapshotting = Objects.requireNonNull(snapshotting, "snapshotting");
    this.replication = Objects.requireNonNull(replication, "replication");
    this.senderPruning = Objects.requireNonNull(senderPruning, "senderPruning");
    this.receiverPruning = Objects.requireNonNull(receiverPruning, "receiverPruning");
    this.receiver = Objects.requireNonNull(receiver, "receiver");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Runs one invocation. With {@code snapshotIfDue} a snapshot round comes first if the schedule
   * says one is due, or always with {@code forceSnapshot} (never for manual snapshotting).
   */
  Outcome run(boolean snapshotIfDue, boolean forceSnapshot, Cancellation cancel) {
    Instant at = clock.instant();
    List<String> errors = new ArrayList<>();
    Optional<SnapshotRound> round = Optional.empty();
    if (snapshotIfDue
        && snapshotting.takesSnapshots()
        && (forceSnapshot || snapshotting.isDue(at, errors))) {
      round = snapshotting.take(errors);
    }
    ReplicationRound.Result replicated = replication.run(cancel);
    errors.addAll(replicated.errors());
    Instant replicatedAt = clock.instant();
    Optional<PruneReport> sent = senderPruning.prune(cancel, errors);
    Instant senderPrunedAt = clock.instant();
    Optional<PruneReport> received = receiverPruning.prune(cancel, errors);
    Instant receiverPrunedAt = clock.instant();
    cancel.reason().ifPresent(why -> errors.add("invocation aborted, pruning skipped: " + why));
    errors.forEach(e -> LOG.warn("job {}: {}", job, e));
    return new Outcome(
        at,
        round,
        replicated,
        sent,
        received,
        sent.map(p -> Duration.between(replicatedAt, senderPrunedAt)),
        received.map(p -> Duration.between(senderPrunedAt, receiverPrunedAt)),
        errors);
  }

  /**
   * The invocation's record for the daemon's metrics; lists the receiver's snapshots once (a
   * listing failure is logged and leaves the newest-snapshot times out).
   */
  Invocation metrics(Outcome o) {
    var report = o.replication().report();
    return new Invocation(
        report,
        Duration.between(report.started(), report.finished()),
        o.senderPruneTime(),
        o.receiverPruneTime(),
        newestOnReceiver(o));
  }

  private Map<DatasetPath, Instant> newestOnReceiver(Outcome o) {
    try {
      return Invocation.newestOnReceiver(receiver, o.replication().report());
    } catch (RuntimeException e) {
      LOG.warn(
          "job {}: cannot list the receiver's snapshots for the metrics: {}", job, e.toString(), e);
      return Map.of();
    }
  }
}
