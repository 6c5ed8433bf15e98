package org.zrepl.app.replication;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that moves only when told; its {@link #sleep} advances it and records the total. */
final class ManualClock extends Clock {

  private Instant now;
  private Duration slept = Duration.ZERO;

  ManualClock(Instant start) {
    this.now = start;
  }

  synchronized void advance(Duration d) {
    now = now.plus(d);
  }

  /** A {@link Sleeper} that advances this clock instead of waiting. */
  synchronized void sleep(Duration d) {
    slept = slept.plus(d);
    now = now.plus(d);
  }

  synchronized Duration slept() {
    return slept;
  }

  @Override
  public synchronized Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("a manual clock stays in UTC");
  }
}
