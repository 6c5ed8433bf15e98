package org.zrepl.app.job;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@link Scheduler} over a {@link ScheduledExecutorService}: the delay is computed from the clock
 * when the task is scheduled (a clock jump afterwards does not move it).
 */
public final class ExecutorScheduler implements Scheduler {

  private final ScheduledExecutorService executor;
  private final Clock clock;

  public ExecutorScheduler(ScheduledExecutorService executor, Clock clock) {
    this.executor = Objects.requireNonNull(executor, "executor");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public Scheduled schedule(Instant at, Runnable task) {
    Duration delay = Duration.between(clock.instant(), at);
    long millis = Math.max(0, delay.toMillis());
    ScheduledFuture<?> f = executor.schedule(task, millis, TimeUnit.MILLISECONDS);
    return () -> f.cancel(false);
  }
}
