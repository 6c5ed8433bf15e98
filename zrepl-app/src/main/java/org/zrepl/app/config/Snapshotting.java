package org.zrepl.app.config;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import org.zrepl.domain.snapshot.SnapshotNameFormat;

/** {@code snapshotting}: when a job takes snapshots, and how it names them. */
public sealed interface Snapshotting {

  /** Every {@code interval}, aligned to the newest snapshot with {@code prefix}. */
  record Periodic(String prefix, Duration interval, TimestampFormat timestamp, List<Hook> hooks)
      implements Snapshotting {
    public Periodic {
      Objects.requireNonNull(timestamp, "timestamp");
      timestamp.nameFormat(prefix);
      Objects.requireNonNull(interval, "interval");
      if (interval.isZero() || interval.isNegative()) {
        throw new IllegalArgumentException("interval must be positive, got " + interval);
      }
      hooks = List.copyOf(hooks);
    }

    /** How this snapshotter names its snapshots. */
    public SnapshotNameFormat nameFormat() {
      return timestamp.nameFormat(prefix);
    }
  }

  /** At the times a cron expression names. */
  record Cron(String prefix, CronSpec cron, TimestampFormat timestamp, List<Hook> hooks)
      implements Snapshotting {
    public Cron {
      Objects.requireNonNull(timestamp, "timestamp");
      timestamp.nameFormat(prefix);
      Objects.requireNonNull(cron, "cron");
      hooks = List.copyOf(hooks);
    }

    /** How this snapshotter names its snapshots. */
    public SnapshotNameFormat nameFormat() {
      return timestamp.nameFormat(prefix);
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
      zoneOf(location);
    }

    /** The zone: {@code UTC}, {@code Local} (this machine's zone) or an IANA zone name. */
    public ZoneId zone() {
      return zoneOf(location);
    }

    private static ZoneId zoneOf(String location) {
      if (location.equals("UTC")) {
        return ZoneOffset.UTC;
      }
      if (location.equals("Local")) {
        return ZoneId.systemDefault();
      }
      try {
        return ZoneId.of(location);
      } catch (DateTimeException e) {
        throw new IllegalArgumentException(
            "timestamp_location must be UTC, Local or an IANA time zone name, got '"
                + location
                + "'",
            e);
      }
    }

    /**
     * The domain's naming for {@code prefix} with this format; throws IllegalArgumentException if
     * the names would not be valid snapshot names (checked as zrepl does, on sample dates).
     */
    public SnapshotNameFormat nameFormat(String prefix) {
      return new SnapshotNameFormat(prefix, format, zone());
    }
  }
}
