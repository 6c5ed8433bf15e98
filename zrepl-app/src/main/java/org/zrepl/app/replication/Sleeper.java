package org.zrepl.app.replication;

import java.time.Duration;

/**
 * Waiting, as a seam: the engine waits between attempts and for the bandwidth limit only through
 * this, so tests advance a manual clock instead of sleeping.
 */
@FunctionalInterface
public interface Sleeper {

  void sleep(Duration duration) throws InterruptedException;

  /** Really waits ({@link Thread#sleep}); for production wiring only. */
  static Sleeper system() {
    return d -> Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000);
  }
}
