package org.zrepl.app.replication;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
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
 * A call to a remote peer waiting to be served (the peer is at its connection limit) ends at once
 * where the job tied its runs to the peer ({@code ReplicationJob#abortsWaitsOn}). A read blocked on
 * a sender that produces nothing ends only when data or the end arrives. A step piped directly from
 * {@code zfs send} into {@code zfs recv} (no byte passes through this process) is stopped by
 * killing both commands.
 */
public final class Cancellation {

  private String reason;
  private final Set<Thread> waiting = new HashSet<>();
  private final Set<Runnable> hooks = new java.util.LinkedHashSet<>();

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
    List<Runnable> run = List.copyOf(hooks);
    hooks.clear();
    run.forEach(Runnable::run);
    return true;
  }

  /**
   * Runs {@code hook} on {@link #cancel} (at once if cancelled already), e.g. to kill the two
   * commands of a step piped directly from {@code zfs send} into {@code zfs recv}, or to end the
   * run's waits for a remote peer at its connection limit. Returns what drops the hook again.
   */
  public synchronized Runnable whenCancelled(Runnable hook) {
    Objects.requireNonNull(hook, "hook");
    if (reason != null) {
      hook.run();
      return () -> {};
    }
    hooks.add(hook);
    return () -> {
      synchronized (this) {
        hooks.remove(hook);
      }
    };
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
