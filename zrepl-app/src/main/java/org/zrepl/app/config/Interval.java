package org.zrepl.app.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** A pull job's {@code interval}: a positive duration, or {@code manual} (wakeup only). */
public record Interval(Optional<Duration> every) {

  public Interval {
    Objects.requireNonNull(every, "every");
    every.ifPresent(
        d -> {
          if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException("interval must be positive, got " + d);
          }
        });
  }

  public static Interval manual() {
    return new Interval(Optional.empty());
  }

  public static Interval every(Duration d) {
    return new Interval(Optional.of(d));
  }

  public boolean isManual() {
    return every.isEmpty();
  }
}
