package org.zrepl.app.job;

import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The one lock of a replicating job, shared by its {@link ReplicationJob loop} and its {@link
 * SnapshotLoop}: its monitor guards the job's bookkeeping and every write of its {@link
 * ReplicationJobState}, and is held only for that, never across ZFS or replication. The work itself
 * (a snapshot round or an invocation) runs in turns: {@link #begin} waits until no other turn runs,
 * {@link #end} lets the next one go. Reading the state never waits.
 */
final class JobTurns {

  private volatile ReplicationJobState state;
  private boolean busy;

  JobTurns(ReplicationJobState initial) {
    this.state = Objects.requireNonNull(initial, "initial");
  }

  /** The latest state, without waiting. */
  ReplicationJobState state() {
    return state;
  }

  /** Changes the state. */
  synchronized void update(UnaryOperator<ReplicationJobState> f) {
    state = f.apply(state);
  }

  /** Runs {@code bookkeeping} holding the lock; it must not wait or call out to ZFS. */
  synchronized <T> T locked(Supplier<T> bookkeeping) {
    return bookkeeping.get();
  }

  /**
   * Waits until no turn runs, then takes the turn if {@code go} (checked holding the lock) still
   * holds, applying {@code starting} to the state. Returns whether the turn was taken; the caller
   * must then {@link #end} it. Not interruptible, like entering a monitor: an interrupt is kept for
   * the caller.
   */
  synchronized boolean begin(BooleanSupplier go, UnaryOperator<ReplicationJobState> starting) {
    boolean interrupted = false;
    while (busy) {
      try {
        wait();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (!go.getAsBoolean()) {
      return false;
    }
    busy = true;
    state = starting.apply(state);
    return true;
  }

  /** Ends the turn, applying {@code ended} to the state, and lets the next one run. */
  synchronized void end(UnaryOperator<ReplicationJobState> ended) {
    try {
      state = ended.apply(state);
    } finally {
      busy = false;
      notifyAll();
    }
  }
}
