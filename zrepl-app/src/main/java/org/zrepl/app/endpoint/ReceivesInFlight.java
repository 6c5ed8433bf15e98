package org.zrepl.app.endpoint;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.port.endpoint.EndpointException;

/**
 * The receives a receiver is running, by target. A client whose stream was cut asks for the resume
 * token at once, often over a new connection, while the receive the cut ended is still winding down
 * on this side ({@code zfs recv} has not yet read the end of its input and saved its partial
 * state). Answering "no token" then would make the sender release the step's holds under {@code
 * guarantee_resumability}; so a question about a target, and a new receive into it, waits for the
 * running receive to end first, and says so if it does not end in time.
 */
final class ReceivesInFlight {

  /** A receive into one target, from its start until it ended. */
  interface Entry extends AutoCloseable {
    @Override
    void close();
  }

  private final Map<DatasetPath, CountDownLatch> running = new ConcurrentHashMap<>();
  private final Duration patience;

  ReceivesInFlight(Duration patience) {
    this.patience = Objects.requireNonNull(patience, "patience");
  }

  /**
   * Marks a receive into {@code target} as running, after the one running before it (if any) ended.
   *
   * @throws EndpointException (temporary) if the earlier receive did not end within the patience
   */
  Entry start(DatasetPath target) {
    long deadline = System.nanoTime() + patience.toNanos();
    CountDownLatch mine = new CountDownLatch(1);
    while (true) {
      CountDownLatch other = running.putIfAbsent(target, mine);
      if (other == null) {
        return () -> {
          running.remove(target, mine);
          mine.countDown();
        };
      }
      await(target, other, deadline, "start another receive into it");
    }
  }

  /**
   * Returns once no receive into {@code target} is running.
   *
   * @throws EndpointException (temporary) if the running one did not end within the patience
   */
  void awaitNone(DatasetPath target, String toDo) {
    long deadline = System.nanoTime() + patience.toNanos();
    CountDownLatch other;
    while ((other = running.get(target)) != null) {
      await(target, other, deadline, toDo);
    }
  }

  private void await(DatasetPath target, CountDownLatch other, long deadline, String toDo) {
    long left = deadline - System.nanoTime();
    try {
      if (left > 0 && other.await(left, TimeUnit.NANOSECONDS)) {
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EndpointException(
          "interrupted while waiting for the running receive into " + target + " to end", true, e);
    }
    throw new EndpointException(
        "a receive into "
            + target
            + " is still running after "
            + patience.toSeconds()
            + " s of waiting; cannot "
            + toDo
            + " before it ended (its resume state is not known yet)",
        true);
  }
}
