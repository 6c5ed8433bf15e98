package org.zrepl.transport.rpc;

import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Warnings a flood of hostile clients could multiply: at most {@code perWindow} lines per window;
 * the first line after a window in which lines were dropped says how many.
 */
final class RateLimitedLog {
  private final Logger log;
  private final int perWindow;
  private final long windowNanos;
  private final LongSupplier nanoTime;
  private long windowStart;
  private int inWindow;
  private long suppressed;

  RateLimitedLog(Logger log, int perWindow, long windowNanos, LongSupplier nanoTime) {
    this.log = log;
    this.perWindow = perWindow;
    this.windowNanos = windowNanos;
    this.nanoTime = nanoTime;
    this.windowStart = nanoTime.getAsLong();
  }

  /** 20 lines a minute. */
  RateLimitedLog(Logger log) {
    this(log, 20, 60_000_000_000L, System::nanoTime);
  }

  /** Logs at WARN unless this window's lines are used up; returns whether it logged. */
  boolean warn(String format, Object... args) {
    long dropped;
    synchronized (this) {
      long now = nanoTime.getAsLong();
      if (now - windowStart >= windowNanos) {
        windowStart = now;
        inWindow = 0;
      }
      if (inWindow >= perWindow) {
        suppressed++;
        return false;
      }
      inWindow++;
      dropped = suppressed;
      suppressed = 0;
    }
    if (dropped > 0) {
      log.warn("({} similar warnings suppressed)", dropped);
    }
    log.warn(format, args);
    return true;
  }
}
