package org.zrepl.app.job;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zrepl.app.snapshot.SnapshotRound;

/**
 * A replicating job's snapshot loop: from {@link #start()} to {@link #stop()}, snapshot rounds on
 * the job's schedule through the {@link Scheduler}, the first at the sync point the existing
 * snapshots give, each next one computed when a round has run. A round is a turn of the job's
 * {@link JobTurns}, so it never overlaps an invocation. Each round's snapshotter notifies the job,
 * which asks for an invocation. A round still scheduled from before a {@link #stop()} (an older
 * generation) does nothing.
 */
final class SnapshotLoop {

  private static final Logger LOG = LoggerFactory.getLogger(SnapshotLoop.class);

  private final String job;
  private final JobSnapshotting snapshotting;
  private final JobTurns turns;
  private final Clock clock;
  private final Scheduler scheduler;

  // guarded by turns
  private Scheduler.Scheduled pending;
  private long generation;

  SnapshotLoop(
      String job, JobSnapshotting snapshotting, JobTurns turns, Clock clock, Scheduler scheduler) {
    this.job = Objects.requireNonNull(job, "job");
    this.snapshotting = Objects.requireNonNull(snapshotting, "snapshotting");
    this.turns = Objects.requireNonNull(turns, "turns");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
  }

  /** Starts the loop; throws IllegalStateException if it runs already. */
  void start() {
    checkStopped();
    List<String> errors = new ArrayList<>();
    Optional<Instant> at = snapshotting.firstRound(clock.instant(), errors);
    turns.locked(
        () -> {
          checkStopped();
          errors.forEach(e -> LOG.error("job {}: {}", job, e));
          turns.update(s -> s.withLoop(true, at));
          schedule(at);
          return null;
        });
  }

  /** Stops the loop; a round in progress finishes. */
  void stop() {
    turns.locked(
        () -> {
          generation++;
          if (pending != null) {
            pending.cancel();
            pending = null;
          }
          turns.update(s -> s.withLoop(false, Optional.empty()));
          snapshotting.stopped();
          return null;
        });
  }

  private void checkStopped() {
    if (turns.state().running()) {
      throw new IllegalStateException("job '" + job + "' is already running");
    }
  }

  /** Schedules the round due {@code at}, if any. Holds the lock. */
  private void schedule(Optional<Instant> at) {
    if (at.isEmpty()) {
      pending = null;
      return;
    }
    long gen = generation;
    Instant due = at.get();
    pending = scheduler.schedule(due, () -> round(gen, due));
  }

  /** The round that was due at {@code due}; then schedules the next one. */
  private void round(long gen, Instant due) {
    if (!turns.begin(() -> gen == generation && turns.state().running(), s -> s)) {
      return;
    }
    List<String> errors = new ArrayList<>();
    Optional<SnapshotRound> taken;
    try {
      taken = snapshotting.take(errors);
    } catch (RuntimeException | Error e) {
      turns.end(s -> s);
      throw e;
    }
    turns.end(
        s -> {
          ReplicationJobState after = s.withSnapshots(taken.or(s::lastSnapshots), errors);
          if (gen != generation || !after.running()) {
            return after;
          }
          Optional<Instant> next = snapshotting.after(due, clock.instant());
          schedule(next);
          snapshotting.waitingUntil(next);
          return after.withLoop(true, next);
        });
  }
}
