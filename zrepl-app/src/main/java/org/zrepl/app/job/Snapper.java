package org.zrepl.app.job;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The state of a job's snapshotter as zrepl's snapper reports it, for {@code zrepl status}; told by
 * the job's loop and rounds, read from any thread. A {@code periodic} snapshotter goes {@code
 * SyncUp} (waiting for the sync point the existing snapshots give) or {@code SyncUpErrWait} (no
 * sync point could be found: one interval later), then per round {@code Planning} (listing the
 * filesystems), {@code Snapshotting}, then {@code Waiting} until the next round or {@code
 * ErrorWait} when a snapshot could not be taken; {@code Stopped} when the job stops. A {@code cron}
 * snapshotter reports zrepl's cron words: {@code waiting} (until its next time) and {@code
 * running}. A round outside the schedule ({@code zrepl signal snapshot}) goes through {@code
 * Planning} and {@code Snapshotting} and back to waiting for the same time.
 */
final class Snapper {

  /** zrepl's periodic snapper states. */
  enum State {
    SYNC_UP("SyncUp"),
    SYNC_UP_ERR_WAIT("SyncUpErrWait"),
    PLANNING("Planning"),
    SNAPSHOTTING("Snapshotting"),
    WAITING("Waiting"),
    ERROR_WAIT("ErrorWait"),
    STOPPED("Stopped");

    private final String word;

    State(String word) {
      this.word = word;
    }

    String word() {
      return word;
    }
  }

  private final boolean cron;
  private State state = State.STOPPED;
  private boolean stopped = true;
  private Optional<Instant> sleepUntil = Optional.empty();
  private String error = "";

  /** The snapshotter of a {@code cron} schedule if {@code cron}, else of a periodic one. */
  Snapper(boolean cron) {
    this.cron = cron;
  }

  /**
   * The loop started: waiting for the first round at {@code until}; {@code failed} when no sync
   * point could be found ({@code errors} say why).
   */
  synchronized void syncUp(Optional<Instant> until, List<String> errors, boolean failed) {
    stopped = false;
    state = failed ? State.SYNC_UP_ERR_WAIT : State.SYNC_UP;
    sleepUntil = until;
    error = failed ? String.join("; ", errors) : "";
  }

  /** A round lists its filesystems. */
  synchronized void planning() {
    state = State.PLANNING;
  }

  /** A round takes its snapshots. */
  synchronized void snapshotting() {
    state = State.SNAPSHOTTING;
  }

  /**
   * A round ended with {@code errors} (empty: every snapshot taken): waiting for the next round,
   * still the one it waited for before; stopped if the job stopped meanwhile.
   */
  synchronized void roundEnded(List<String> errors) {
    error = String.join("; ", errors);
    state = stopped ? State.STOPPED : errors.isEmpty() ? State.WAITING : State.ERROR_WAIT;
  }

  /** The loop scheduled its next round at {@code next} (empty: none). */
  synchronized void waitingUntil(Optional<Instant> next) {
    sleepUntil = next;
  }

  /** The job stopped; a round in progress finishes. */
  synchronized void stopped() {
    stopped = true;
    sleepUntil = Optional.empty();
    if (state != State.PLANNING && state != State.SNAPSHOTTING) {
      state = State.STOPPED;
    }
  }

  /** The state now, in zrepl's words. */
  synchronized SnapperReport report() {
    return new SnapperReport(word(), state == State.STOPPED ? Optional.empty() : sleepUntil, error);
  }

  private String word() {
    if (!cron) {
      return state.word();
    }
    return switch (state) {
      case PLANNING, SNAPSHOTTING -> "running";
      case STOPPED -> "stopped";
      default -> "waiting";
    };
  }
}
