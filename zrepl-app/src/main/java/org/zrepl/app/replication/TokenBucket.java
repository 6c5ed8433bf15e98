package org.zrepl.app.replication;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A {@link BandwidthLimit} in action: a bucket of tokens (bytes) that fills at the rate up to the
 * capacity and starts full. A taker takes what it has read, overdrawing if need be, and then waits
 * (through the {@link Sleeper}) until the debt is paid off, as zrepl's (juju/ratelimit) {@code
 * Wait}. Thread-safe; the streams that share one bucket share its rate.
 */
public final class TokenBucket {

  private final BandwidthLimit limit;
  private final Clock clock;
  private final Sleeper sleeper;
  private double tokens;
  private Instant last;

  public TokenBucket(BandwidthLimit limit, Clock clock, Sleeper sleeper) {
    this.limit = Objects.requireNonNull(limit, "limit");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    this.tokens = (double) limit.bucketCapacity();
    this.last = clock.instant();
  }

  public BandwidthLimit limit() {
    return limit;
  }

  /**
   * Takes {@code bytes} tokens; waits while the bucket is in debt. The wait happens under the lock,
   * so concurrent takers queue behind it and the rate stays the bucket's whatever their number.
   */
  public synchronized void take(long bytes) throws InterruptedException {
    refill();
    tokens -= bytes;
    if (tokens < 0) {
      sleeper.sleep(Duration.ofNanos((long) Math.ceil(-tokens * 1e9 / limit.bytesPerSecond())));
      refill();
    }
  }

  private void refill() {
    Instant now = clock.instant();
    long elapsed = Duration.between(last, now).toNanos();
    if (elapsed > 0) {
      tokens =
          Math.min(
              (double) limit.bucketCapacity(),
              tokens + elapsed * (double) limit.bytesPerSecond() / 1e9);
      last = now;
    }
  }

  /**
   * {@code in}, paced by this bucket: every read takes what it read (at most {@link
   * MeteredStream#CHUNK} bytes per read, so that the limit acts in bounded amounts). Closing closes
   * {@code in}.
   */
  public InputStream throttle(InputStream in) {
    Objects.requireNonNull(in, "in");
    return new InputStream() {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] buf, int off, int len) throws IOException {
        int n = in.read(buf, off, Math.min(len, MeteredStream.CHUNK));
        if (n > 0) {
          takeInterruptibly(n);
        }
        return n;
      }

      @Override
      public void close() throws IOException {
        in.close();
      }
    };
  }

  void takeInterruptibly(long bytes) throws InterruptedIOException {
    try {
      take(bytes);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for the bandwidth limit");
    }
  }
}
