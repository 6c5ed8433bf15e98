package org.zrepl.app.replication;

import java.time.Duration;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Aborts a replication run from another thread ({@code zrepl signal reset}), as zrepl cancels the
 * context of the current invocation. After {@link #cancel}:
 *
 * <ul>
 *   <li>a step that is streaming fails at its next read of the send stream: the receiver sees a
 *       truncated stream (and keeps its resumable state where ZFS has one), the sender's {@code zfs
 *       send} is stopped when the stream is closed;
 *   <li>the step is not tried again, no further step starts, a wait between attempts ends at once;
 *   <li>the step's holds are released unless the receiver kept resumable state (as for any failed
 *       step).
 * </ul>
 *
 * A read blocked on a sender that produces nothing ends only when data or the end arrives.
 */
public final class Cancellation {

  private String reason;
  private final Set<Thread> waiting = new HashSet<>();

  /**
   * Cancels the run; returns false if it was cancelled already.
   *
   * @param why what the operator did, for the filesystems' errors
   */
  public synchronized boolean cancel(String why) {
    Objects.requireNonNull(why, "why");
    if (reason != null) {
      return false;
    }
    reason = why;
    waiting.forEach(Thread::interrupt);
    return true;
  }

  public synchronized boolean isCancelled() {
    return reason != null;
  }

  /** Why the run was cancelled; empty while it was not. */
  public synchronized Optional<String> reason() {
    return Optional.ofNullable(reason);
  }

  /**
   * Waits through {@code sleeper} unless cancelled; a cancel during the wait ends it at once
   * (returns normally, the thread's interrupt consumed).
   */
  void sleep(Sleeper sleeper, Duration d) throws InterruptedException {
    Thread me = Thread.currentThread();
    synchronized (this) {
      if (reason != null) {
        return;
      }
      waiting.add(me);
    }
    try {
      sleeper.sleep(d);
    } catch (InterruptedException e) {
      if (!isCancelled()) {
        throw e;
      }
    } finally {
      synchronized (this) {
        waiting.remove(me);
        if (reason != null) {
          // The cancel may have interrupted this thread after the sleep returned: consume it.
          Thread.interrupted();
        }
      }
    }
  }
}
