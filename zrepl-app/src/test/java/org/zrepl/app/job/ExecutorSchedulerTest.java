package org.zrepl.app.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.zrepl.app.testing.ManualClock;

class ExecutorSchedulerTest {

  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
  private final ManualClock clock = new ManualClock(Instant.parse("2024-05-01T00:00:00Z"));
  private final ExecutorScheduler scheduler = new ExecutorScheduler(executor, clock);

  @AfterEach
  void shutDown() {
    executor.shutdownNow();
  }

  @Test
  void aTaskDueInThePastRunsAtOnce() throws InterruptedException {
    CountDownLatch ran = new CountDownLatch(1);
    scheduler.schedule(clock.instant().minus(Duration.ofHours(1)), ran::countDown);
    assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void aCancelledTaskNeverRuns() throws InterruptedException {
    AtomicBoolean ran = new AtomicBoolean();
    scheduler.schedule(clock.instant().plus(Duration.ofMillis(200)), () -> ran.set(true)).cancel();
    executor.shutdown();
    assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    assertThat(ran).isFalse();
  }
}
