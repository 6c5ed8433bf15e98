package org.zrepl.app.config;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** {@code snapshotting}: when a job takes snapshots, and how it names them. */
public sealed interface Snapshotting {

  /** zrepl's named timestamp formats; anything else is a Go time layout. */
  Set<String> NAMED_FORMATS = Set.of("dense", "human", "iso-8601", "unix-seconds");

  /** Every {@code interval}, aligned to the newest snapshot with {@code prefix}. */
  record Periodic(String prefix, Duration interval, TimestampFormat timestamp, List<Hook> hooks)
      implements Snapshotting {
    public Periodic {
      checkPrefix(prefix);
      Objects.requireNonNull(interval, "interval");
      if (interval.isZero() || interval.isNegative()) {
        throw new IllegalArgumentException("interval must be positive, got " + interval);
      }
      Objects.requireNonNull(timestamp, "timestamp");
      hooks = List.copyOf(hooks);
    }
  }

  /** At the times a cron expression names. */
  record Cron(String prefix, CronSpec cron, TimestampFormat timestamp, List<Hook> hooks)
      implements Snapshotting {
    public Cron {
      checkPrefix(prefix);
      Objects.requireNonNull(cron, "cron");
      Objects.requireNonNull(timestamp, "timestamp");
      hooks = List.copyOf(hooks);
    }
  }

  /** zrepl takes no snapshots; replication runs on {@code zrepl signal wakeup}. */
  record Manual() implements Snapshotting {}

  /**
   * The snapshot name suffix: {@code format} is dense (default), human, iso-8601, unix-seconds or a
   * Go layout; {@code location} is UTC (default), Local or an IANA zone name.
   */
  record TimestampFormat(String format, String location) {
    public static final TimestampFormat DEFAULT = new TimestampFormat("dense", "UTC");

    public TimestampFormat {
      Objects.requireNonNull(format, "format");
      Objects.requireNonNull(location, "location");
      if (format.isBlank()) {
        throw new IllegalArgumentException("timestamp_format must not be blank");
      }
      if (!location.equals("Local") && !location.equals("UTC")) {
        try {
          ZoneId.of(location);
        } catch (java.time.DateTimeException e) {
          throw new IllegalArgumentException(
              "timestamp_location must be UTC, Local or an IANA time zone name, got '"
                  + location
                  + "'",
              e);
        }
      }
    }
  }

  private static void checkPrefix(String prefix) {
    Objects.requireNonNull(prefix, "prefix");
    for (int i = 0; i < prefix.length(); i++) {
      char c = prefix.charAt(i);
      boolean ok =
          Character.isLetterOrDigit(c) && c < 128 || c == '_' || c == '-' || c == ':' || c == '.';
      if (!ok) {
        throw new IllegalArgumentException(
            "prefix '" + prefix + "' contains '" + c + "', which ZFS snapshot names do not allow");
      }
    }
  }
}
