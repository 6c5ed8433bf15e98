package org.zrepl.app.job;

import java.time.Instant;

/**
 * Runs a task at a point in time. The seam between jobs and real time: production uses {@link
 * ExecutorScheduler}, tests a hand-driven scheduler on a manual clock.
 */
public interface Scheduler {

  /** Runs {@code task} once, at {@code at} or as soon as possible after it. */
  Scheduled schedule(Instant at, Runnable task);

  /** A pending task. */
  interface Scheduled {
    /** Prevents the task from running if it has not started; no effect otherwise. */
    void cancel();
  }
}
