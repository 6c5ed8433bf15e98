package org.zrepl.app.job;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.zrepl.app.replication.Cancellation;
import org.zrepl.app.replication.FilesystemResult;
import org.zrepl.app.replication.ProgressEvent;
import org.zrepl.app.replication.ReplicationEngine;
import org.zrepl.app.replication.ReplicationPolicy;
import org.zrepl.app.replication.ReplicationReport;
import org.zrepl.app.replication.StatusBoard;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.port.endpoint.Receiver;
import org.zrepl.port.endpoint.Sender;

/**
 * The replication step of an invocation: one run of the {@link ReplicationEngine} from the job's
 * sender to its receiver under its policy. Feeds the job's {@link StatusBoard} (live progress for
 * {@code zrepl status}) and its attempt history, and measures, per filesystem, the time from its
 * first step's start to its last step's end. The engine may report from several threads at once
 * (concurrent steps).
 */
final class ReplicationRound {

  /**
   * What the run did.
   *
   * @param report the engine's report
   * @param times per filesystem with at least one completed step, first start to last end
   * @param afterError what failed after the run (recording its cursors), if anything
   */
  record Result(
      ReplicationReport report, Map<DatasetPath, Duration> times, Optional<String> afterError) {
    Result {
      Objects.requireNonNull(report, "report");
      times = Map.copyOf(times);
      Objects.requireNonNull(afterError, "afterError");
    }

    /**
     * The run's problems, one line each: a run error first, then each filesystem that failed or
     * conflicted.
     */
    List<String> errors() {
      List<String> errors = new java.util.ArrayList<>();
      report.runError().ifPresent(e -> errors.add("replication: " + e));
      report.needingAttention().stream().map(FilesystemResult::describe).forEach(errors::add);
      afterError.ifPresent(errors::add);
      return errors;
    }
  }

  private final ReplicationEngine engine;
  private final Sender sender;
  private final Receiver receiver;
  private final ReplicationPolicy policy;
  private final StatusBoard board;
  private final ReplicationAttempts attempts;
  private final Clock clock;
  private final Runnable afterRun;

  ReplicationRound(
      ReplicationEngine engine,
      Sender sender,
      Receiver receiver,
      ReplicationPolicy policy,
      StatusBoard board,
      ReplicationAttempts attempts,
      Clock clock,
      Runnable afterRun) {
    this.engine = Objects.requireNonNull(engine, "engine");
    this.sender = Objects.requireNonNull(sender, "sender");
    this.receiver = Objects.requireNonNull(receiver, "receiver");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.board = Objects.requireNonNull(board, "board");
    this.attempts = Objects.requireNonNull(attempts, "attempts");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.afterRun = Objects.requireNonNull(afterRun, "afterRun");
  }

  /** Replicates until done or {@code cancel} aborts the run. */
  Result run(Cancellation cancel) {
    Timings timings = new Timings();
    attempts.started(clock.instant());
    ReplicationReport report;
    try {
      report = engine.run(sender, receiver, policy, timings::heard, cancel);
    } catch (RuntimeException e) {
      attempts.failed(clock.instant(), e.toString());
      // what completed before the failure is recorded all the same; if that fails too, the
      // failure travels with the run's (logged with it by the job)
      afterRun().ifPresent(why -> e.addSuppressed(new IllegalStateException(why)));
      throw e;
    }
    return new Result(report, timings.times(), afterRun());
  }

  /**
   * Runs the after-run action; what it throws is the run's error, as text (logged by the caller).
   */
  private Optional<String> afterRun() {
    try {
      afterRun.run();
      return Optional.empty();
    } catch (RuntimeException e) {
      return Optional.of("after replication: " + e.getMessage());
    }
  }

  /** Per filesystem, its first step's start and its last completed step's end. */
  private final class Timings {
    private final Map<DatasetPath, Instant> started = new HashMap<>();
    private final Map<DatasetPath, Duration> times = new HashMap<>();

    void heard(ProgressEvent e) {
      board.on(e);
      attempts.on(e);
      if (e instanceof ProgressEvent.StepStarted s) {
        synchronized (this) {
          started.putIfAbsent(s.filesystem(), clock.instant());
        }
      } else if (e instanceof ProgressEvent.StepCompleted c) {
        synchronized (this) {
          Instant now = clock.instant();
          times.put(
              c.filesystem(), Duration.between(started.getOrDefault(c.filesystem(), now), now));
        }
      }
    }

    synchronized Map<DatasetPath, Duration> times() {
      return Map.copyOf(times);
    }
  }
}
