package org.zrepl.app.job;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.zrepl.app.replication.FilesystemResult;
import org.zrepl.app.replication.ProgressEvent;
import org.zrepl.app.replication.ReplicationReport;

/**
 * The job's last {@value #KEPT} replication runs with their outcome, for {@code zrepl status}'s
 * attempt history. zrepl retries a whole run within one invocation and lists the attempts of the
 * current invocation; this engine retries each step instead (the step's {@code (attempt N)}), so a
 * run that still failed is retried by the next invocation, and the history spans invocations.
 * Thread-safe: the engine reports from its workers, status reads from the control thread.
 */
final class ReplicationAttempts {

  /** How many runs are kept. */
  static final int KEPT = 5;

  private final Deque<ReplicationAttempt> attempts = new ArrayDeque<>();
  private int count;

  /** A run starts: listing and planning. */
  synchronized void started(Instant at) {
    count++;
    attempts.addLast(
        new ReplicationAttempt(count, at, Optional.empty(), ReplicationAttempt.PLANNING, "", 0, 0));
    while (attempts.size() > KEPT) {
      attempts.removeFirst();
    }
  }

  /** Follows the run: planned ({@code RunStarted}) and finished ({@code RunFinished}). */
  synchronized void on(ProgressEvent e) {
    ReplicationAttempt a = attempts.peekLast();
    if (a == null || a.finishedAt().isPresent()) {
      return;
    }
    if (e instanceof ProgressEvent.RunStarted s) {
      replaceLast(
          new ReplicationAttempt(
              a.number(),
              a.startedAt(),
              Optional.empty(),
              ReplicationAttempt.FAN_OUT,
              "",
              s.filesystems(),
              0));
    } else if (e instanceof ProgressEvent.RunFinished f) {
      replaceLast(finished(a, f.report()));
    }
  }

  /** The run ended without a report (the engine threw): the attempt failed with {@code why}. */
  synchronized void failed(Instant at, String why) {
    ReplicationAttempt a = attempts.peekLast();
    if (a == null || a.finishedAt().isPresent()) {
      return;
    }
    replaceLast(
        new ReplicationAttempt(
            a.number(),
            a.startedAt(),
            Optional.of(at),
            a.state().equals(ReplicationAttempt.PLANNING)
                ? ReplicationAttempt.PLANNING_ERROR
                : ReplicationAttempt.FILESYSTEM_ERROR,
            why,
            a.filesystems(),
            a.failed()));
  }

  /** Oldest first, as zrepl's report lists its attempts. */
  synchronized List<ReplicationAttempt> list() {
    return List.copyOf(attempts);
  }

  private void replaceLast(ReplicationAttempt a) {
    attempts.removeLast();
    attempts.addLast(a);
  }

  static ReplicationAttempt finished(ReplicationAttempt a, ReplicationReport r) {
    Optional<Instant> end = Optional.of(r.finished());
    if (r.runError().isPresent()) {
      return new ReplicationAttempt(
          a.number(),
          a.startedAt(),
          end,
          ReplicationAttempt.PLANNING_ERROR,
          r.runError().get(),
          0,
          0);
    }
    List<FilesystemResult> bad = r.needingAttention();
    int all = r.results().size();
    if (bad.isEmpty()) {
      return new ReplicationAttempt(
          a.number(), a.startedAt(), end, ReplicationAttempt.DONE, "", all, 0);
    }
    String error =
        bad.size()
            + " of "
            + all
            + (all == 1 ? " filesystem" : " filesystems")
            + " failed: "
            + bad.get(0).describe()
            + (bad.size() > 1 ? " (and " + (bad.size() - 1) + " more)" : "");
    return new ReplicationAttempt(
        a.number(),
        a.startedAt(),
        end,
        ReplicationAttempt.FILESYSTEM_ERROR,
        error,
        all,
        bad.size());
  }
}
