package org.zrepl.app.replication;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A job-wide bandwidth limit: {@code rate} bytes per second with a burst of one second's worth.
 * Thread-safe; concurrent streams share the rate. A taker that overdraws waits (through the {@link
 * Sleeper}) until the debt is paid off.
 */
final class TokenBucket {

  private final long rate;
  private final Clock clock;
  private final Sleeper sleeper;
  private double tokens;
  private Instant last;

  TokenBucket(long bytesPerSecond, Clock clock, Sleeper sleeper) {
    if (bytesPerSecond <= 0) {
      throw new IllegalArgumentException("rate must be positive, got " + bytesPerSecond);
    }
    this.rate = bytesPerSecond;
    this.clock = clock;
    this.sleeper = sleeper;
    this.tokens = (double) bytesPerSecond;
    this.last = clock.instant();
  }

  synchronized void take(long bytes) throws InterruptedException {
    refill();
    tokens -= bytes;
    if (tokens < 0) {
      long nanos = (long) Math.ceil(-tokens * 1e9 / rate);
      sleeper.sleep(Duration.ofNanos(nanos));
      refill();
    }
  }

  private void refill() {
    Instant now = clock.instant();
    long elapsed = Duration.between(last, now).toNanos();
    if (elapsed > 0) {
      tokens = Math.min((double) rate, tokens + elapsed * (double) rate / 1e9);
      last = now;
    }
  }
}
