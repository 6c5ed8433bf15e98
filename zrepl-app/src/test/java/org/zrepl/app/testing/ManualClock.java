package org.zrepl.app.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that moves only when a test says so. */
public final class ManualClock extends Clock {

  private volatile Instant now;
  private final ZoneId zone;

  public ManualClock(Instant start) {
    this(start, ZoneOffset.UTC);
  }

  public ManualClock(Instant start, ZoneId zone) {
    this.now = start;
    this.zone = zone;
  }

  public void set(Instant instant) {
    if (instant.isBefore(now)) {
      throw new IllegalArgumentException("clock would go back from " + now + " to " + instant);
    }
    now = instant;
  }

  /** Sets the clock to any time, also backwards (to test clocks that jump). */
  public void jumpTo(Instant instant) {
    now = instant;
  }

  public void advance(Duration d) {
    set(now.plus(d));
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  @Override
  public Clock withZone(ZoneId z) {
    return new ManualClock(now, z);
  }

  @Override
  public Instant instant() {
    return now;
  }
}
