package org.zrepl.domain.snapshot;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Objects;

/**
 * How a snapshotter names its snapshots: {@code prefix} followed by the creation time formatted
 * with zrepl's {@code timestamp_format} in {@code timestamp_location}.
 *
 * <p>Formats, as in zrepl (the four names are matched case-insensitively):
 *
 * <ul>
 *   <li>{@code dense} (default): {@code 20060102_150405_000}; requires UTC
 *   <li>{@code human}: {@code 2006-01-02_15:04:05}; requires UTC
 *   <li>{@code iso-8601}: Go layout {@code 2006-01-02T15:04:05.000Z0700}, i.e. {@code
 *       2006-01-02T15:04:05.000Z} in UTC and {@code 2024-05-14T23:16:23.000_0200} in Berlin
 *   <li>{@code unix-seconds}: {@code 1136214245}; requires UTC
 *   <li>anything else: a Go time layout, see {@link GoTimeLayout}; it must not contain {@code +}
 * </ul>
 *
 * <p>A {@code +} that a positive zone offset puts into the output is replaced by {@code _}, as
 * zrepl does, since ZFS does not allow {@code +} in names. "UTC" means any zone that always has
 * offset zero ({@code UTC}, {@code Z}, {@code Etc/UTC}; zrepl accepts only its own UTC value).
 *
 * <p>The constructor checks, like zrepl, that the names for 2020-06-01 and 2020-12-01 (two dates
 * with different daylight-saving offsets in most zones) are valid snapshot names; it also rejects
 * formats that would give both dates the same name, since every snapshot would then collide.
 */
public record SnapshotNameFormat(String prefix, String timestampFormat, ZoneId location) {

  public static final String DEFAULT_FORMAT = "dense";

  private static final Instant[] SAMPLES = {
    Instant.parse("2020-06-01T00:00:00Z"), Instant.parse("2020-12-01T00:00:00Z")
  };

  public SnapshotNameFormat {
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(timestampFormat, "timestampFormat");
    Objects.requireNonNull(location, "location");
    if (prefix.isEmpty()) {
      throw new IllegalArgumentException("prefix must not be empty");
    }
    if (timestampFormat.isEmpty()) {
      throw new IllegalArgumentException("timestamp_format must not be empty");
    }
    String builtin = timestampFormat.toLowerCase(Locale.ROOT);
    boolean needsUtc =
        builtin.equals("dense") || builtin.equals("human") || builtin.equals("unix-seconds");
    if (needsUtc && !isUtc(location)) {
      throw new IllegalArgumentException(
          "timestamp_format '"
              + timestampFormat
              + "' requires timestamp_location UTC, got '"
              + location
              + "'");
    }
    if (!isBuiltin(builtin) && timestampFormat.indexOf('+') >= 0) {
      throw new IllegalArgumentException(
          "timestamp_format '"
              + timestampFormat
              + "' contains '+', which is not allowed in ZFS snapshot names");
    }
    String first = null;
    for (Instant sample : SAMPLES) {
      String name = prefix + timestamp(timestampFormat, location, sample);
      try {
        SnapshotNames.check(name);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "prefix '"
                + prefix
                + "' and timestamp_format '"
                + timestampFormat
                + "' would give an invalid snapshot name: "
                + e.getMessage(),
            e);
      }
      if (name.equals(first)) {
        throw new IllegalArgumentException(
            "timestamp_format '"
                + timestampFormat
                + "' gives 2020-06-01 and 2020-12-01 the same name '"
                + name
                + "'; every snapshot would collide");
      }
      first = name;
    }
  }

  /** zrepl's default: {@code dense} timestamps in UTC. */
  public static SnapshotNameFormat dense(String prefix) {
    return new SnapshotNameFormat(prefix, DEFAULT_FORMAT, ZoneOffset.UTC);
  }

  /**
   * The name of a snapshot taken at {@code at}.
   *
   * @throws IllegalStateException if this particular time yields an invalid name (the constructor's
   *     check is best-effort, as zrepl's)
   */
  public String name(Instant at) {
    String name = snapshotPrefix().name(timestamp(timestampFormat, location, at));
    if (!SnapshotNames.isValid(name)) {
      throw new IllegalStateException(
          "timestamp_format '" + timestampFormat + "' gave invalid snapshot name '" + name + "'");
    }
    return name;
  }

  /** Whether {@code snapshotName} carries this format's prefix (how zrepl finds its snapshots). */
  public boolean hasPrefix(String snapshotName) {
    return snapshotPrefix().marks(snapshotName);
  }

  /** The prefix that marks the snapshots named by this format. */
  public SnapshotPrefix snapshotPrefix() {
    return new SnapshotPrefix(prefix);
  }

  private static boolean isBuiltin(String lower) {
    return switch (lower) {
      case "dense", "human", "iso-8601", "unix-seconds" -> true;
      default -> false;
    };
  }

  private static boolean isUtc(ZoneId zone) {
    return zone.normalized().equals(ZoneOffset.UTC);
  }

  private static String timestamp(String format, ZoneId location, Instant at) {
    String layout =
        switch (format.toLowerCase(Locale.ROOT)) {
          case "dense" -> "20060102_150405_000";
          case "human" -> "2006-01-02_15:04:05";
          case "iso-8601" -> "2006-01-02T15:04:05.000Z0700";
          case "unix-seconds" -> null;
          default -> format;
        };
    if (layout == null) {
      return Long.toString(at.getEpochSecond());
    }
    return GoTimeLayout.compile(layout).format(at.atZone(location)).replace('+', '_');
  }
}
