package org.zrepl.app.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.zrepl.app.job.Scheduler;

/**
 * A scheduler driven by hand on a {@link ManualClock}: {@link #advance} moves the clock forward,
 * running each task that falls due on the way at its due time (the clock set to it), in order.
 */
public final class ManualScheduler implements Scheduler {

  private record Task(Instant at, long seq, Runnable run, AtomicBoolean cancelled) {}

  private final ManualClock clock;
  private final PriorityQueue<Task> queue =
      new PriorityQueue<>(Comparator.comparing(Task::at).thenComparingLong(Task::seq));
  private final List<Instant> ran = new ArrayList<>();
  private long seq;

  public ManualScheduler(ManualClock clock) {
    this.clock = clock;
  }

  @Override
  public synchronized Scheduled schedule(Instant at, Runnable task) {
    AtomicBoolean cancelled = new AtomicBoolean();
    queue.add(new Task(at, seq++, task, cancelled));
    return () -> cancelled.set(true);
  }

  /** Moves the clock by {@code d}, running what falls due; returns how many tasks ran. */
  public int advance(Duration d) {
    return runUntil(clock.instant().plus(d));
  }

  /** Runs what is due by {@code end}, then sets the clock to {@code end}. */
  public int runUntil(Instant end) {
    int n = 0;
    while (true) {
      Task t;
      synchronized (this) {
        t = queue.peek();
        if (t == null || t.at().isAfter(end)) {
          break;
        }
        queue.poll();
      }
      if (t.cancelled().get()) {
        continue;
      }
      if (t.at().isAfter(clock.instant())) {
        clock.set(t.at());
      }
      ran.add(clock.instant());
      t.run().run();
      n++;
    }
    clock.set(end);
    return n;
  }

  /** When the next live task is due. */
  public synchronized Optional<Instant> nextDue() {
    return queue.stream()
        .filter(t -> !t.cancelled().get())
        .map(Task::at)
        .min(Comparator.naturalOrder());
  }

  /** The clock times at which tasks ran, in order. */
  public List<Instant> ranAt() {
    return List.copyOf(ran);
  }
}
