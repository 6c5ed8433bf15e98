package org.zrepl.domain.prune;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.zrepl.domain.snapshot.Durations;
import org.zrepl.domain.version.FilesystemVersion;

/**
 * zrepl's retention grid, e.g. {@code 1x1h(keep=all) | 24x1h | 14x1d}: adjacent time buckets laid
 * out backwards from "now", each keeping at most {@code keep} snapshots (its oldest ones).
 *
 * <p>Grammar of one interval (parts are separated by {@code |}): {@code <repeat> x <duration>
 * [(keep=<n>|keep=all)]} with optional whitespace around each token; {@code repeat} is a positive
 * integer, the duration uses {@link Durations#parsePositive zrepl's grammar} ({@code 1h}, {@code
 * 30d}), and {@code keep} defaults to 1.
 *
 * <p>Validation as in zrepl: at least one interval; interval lengths must not decrease, except that
 * an interval may be shorter than its predecessor when every interval before it is {@code
 * keep=all}. Unlike zrepl (which panics at prune time on {@code keep=0} and reads {@code keep=-1}
 * as "all"), a keep count must be a positive integer or {@code all}.
 */
public record RetentionGrid(List<Interval> intervals) {

  /** {@code repeat} adjacent buckets of {@code length}, each keeping {@code keep} snapshots. */
  public record Interval(int repeat, Duration length, int keep) {

    /** The keep count that means {@code keep=all}. */
    public static final int KEEP_ALL = -1;

    /** Go's time.Duration limit, which zrepl's grid lengths share. */
    private static final Duration MAX_LENGTH = Duration.ofNanos(Long.MAX_VALUE);

    public Interval {
      Objects.requireNonNull(length, "length");
      if (repeat <= 0) {
        throw new IllegalArgumentException("repeat must be positive, got " + repeat);
      }
      if (length.isZero() || length.isNegative()) {
        throw new IllegalArgumentException(
            "length must be positive, got " + Durations.format(length));
      }
      if (length.compareTo(MAX_LENGTH) > 0) {
        throw new IllegalArgumentException(
            "length must be at most " + Durations.format(MAX_LENGTH) + ", got " + length);
      }
      if (keep != KEEP_ALL && keep <= 0) {
        throw new IllegalArgumentException("keep must be positive or 'all', got " + keep);
      }
    }

    public boolean keepsAll() {
      return keep == KEEP_ALL;
    }

    /** zrepl's notation: {@code 24x1h}, {@code 1x1h(keep=all)}, {@code 6x30d(keep=2)}. */
    @Override
    public String toString() {
      String k = keep == 1 ? "" : "(keep=" + (keepsAll() ? "all" : Integer.toString(keep)) + ")";
      return repeat + "x" + Durations.format(length) + k;
    }
  }

  /** zrepl's retentionStringIntervalRegex, with ASCII whitespace and digits as in Go's RE2. */
  private static final Pattern INTERVAL =
      Pattern.compile(
          "^[\\t\\n\\f\\r ]*([0-9]+)[\\t\\n\\f\\r ]*x[\\t\\n\\f\\r ]*([^(]+)[\\t\\n\\f\\r ]*"
              + "(\\((.*)\\))?[\\t\\n\\f\\r ]*$");

  private static final Pattern KEEP =
      Pattern.compile("^[\\t\\n\\f\\r ]*keep=(.+?)[\\t\\n\\f\\r ]*$");

  public RetentionGrid {
    intervals = List.copyOf(intervals);
    if (intervals.isEmpty()) {
      throw new IllegalArgumentException("retention grid must specify at least one interval");
    }
    for (int i = 1; i < intervals.size(); i++) {
      Interval cur = intervals.get(i);
      Interval prev = intervals.get(i - 1);
      if (cur.length().compareTo(prev.length()) < 0 && !allKeepAll(intervals.subList(0, i))) {
        throw new IllegalArgumentException(
            "invalid grid interval '"
                + cur
                + "': interval length "
                + Durations.format(cur.length())
                + " is shorter than the preceding "
                + Durations.format(prev.length())
                + "; retention grid interval lengths must be monotonically increasing"
                + " (a shorter interval may only follow keep=all intervals)");
      }
    }
  }

  private static boolean allKeepAll(List<Interval> list) {
    return list.stream().allMatch(Interval::keepsAll);
  }

  /**
   * Parses a grid specification such as {@code 1x1h(keep=all) | 24x1h | 14x1d}.
   *
   * @throws IllegalArgumentException naming the offending interval, e.g. {@code invalid grid
   *     interval '24y1h': ...}
   */
  public static RetentionGrid parse(String spec) {
    if (spec == null) {
      throw new IllegalArgumentException("retention grid must not be null");
    }
    String[] parts = spec.split("\\|", -1);
    List<Interval> intervals = new ArrayList<>();
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      try {
        intervals.add(parseInterval(part));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "invalid grid interval '"
                + part.strip()
                + "': "
                + e.getMessage()
                + " (interval "
                + (i + 1)
                + " of "
                + parts.length
                + " in '"
                + spec
                + "')",
            e);
      }
    }
    return new RetentionGrid(intervals);
  }

  private static Interval parseInterval(String part) {
    Matcher m = INTERVAL.matcher(part);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "expected <repeat>x<duration> with optional (keep=<n>) or (keep=all), e.g. '24x1h'");
    }
    int repeat;
    try {
      repeat = Integer.parseInt(m.group(1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("repeat count '" + m.group(1) + "' is too large", e);
    }
    if (repeat <= 0) {
      throw new IllegalArgumentException("repeat count must be positive, got " + repeat);
    }
    Duration length = Durations.parsePositive(m.group(2));
    int keep = 1;
    if (m.group(3) != null) {
      Matcher k = KEEP.matcher(m.group(4));
      if (!k.matches()) {
        throw new IllegalArgumentException(
            "unknown interval parameter '" + m.group(4) + "' (only keep=<n> or keep=all)");
      }
      String value = k.group(1);
      if (value.equals("all")) {
        keep = Interval.KEEP_ALL;
      } else {
        try {
          keep = Integer.parseInt(value);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(
              "keep count must be a positive integer or 'all', got '" + value + "'", e);
        }
        if (keep <= 0) {
          throw new IllegalArgumentException(
              "keep count must be a positive integer or 'all', got " + keep);
        }
      }
    }
    return new Interval(repeat, length, keep);
  }

  /** The number of buckets: the sum of the repeat counts. */
  public long bucketCount() {
    return intervals.stream().mapToLong(Interval::repeat).sum();
  }

  /** How far back from "now" the grid reaches (saturating at Go's duration limit). */
  public Duration totalLength() {
    long nanos = 0;
    for (Interval iv : intervals) {
      nanos = saturatedAdd(nanos, saturatedMultiply(iv.length().toNanos(), iv.repeat()));
    }
    return Duration.ofNanos(nanos);
  }

  /** Oldest first: by creation, then createtxg, then name (a total order for one filesystem). */
  static final Comparator<FilesystemVersion> OLDEST_FIRST =
      Comparator.comparing(FilesystemVersion::creation)
          .thenComparingLong(FilesystemVersion::createTxg)
          .thenComparing(FilesystemVersion::name);

  /**
   * Fits {@code entries} into the grid and returns, in input order, those it does not keep.
   *
   * <p>"Now" is the youngest entry's creation. The first bucket's younger edge is "now", each
   * further bucket is adjacent to its predecessor. A bucket holds the entries with {@code olderEdge
   * < creation <= youngerEdge}: an entry exactly on an edge falls into the older bucket, as zrepl's
   * documentation says ("left-inclusive and right-exclusive"). Entries older than the last bucket
   * are not kept; each bucket keeps its {@code keep} oldest entries (all with {@code keep=all}).
   * Ties in creation are broken by createtxg, then name.
   */
  List<FilesystemVersion> notKept(List<FilesystemVersion> entries) {
    int[] all = new int[entries.size()];
    for (int i = 0; i < all.length; i++) {
      all[i] = i;
    }
    boolean[] kept = new boolean[entries.size()];
    keep(entries, all, kept);
    List<FilesystemVersion> out = new ArrayList<>();
    for (int i = 0; i < kept.length; i++) {
      if (!kept[i]) {
        out.add(entries.get(i));
      }
    }
    return List.copyOf(out);
  }

  /**
   * Fits the entries {@code versions[selected[..]]} into the grid as {@link #notKept} does and sets
   * {@code kept[i]} for each selected index {@code i} that the grid keeps; other elements of {@code
   * kept} are left alone.
   */
  void keep(List<FilesystemVersion> versions, int[] selected, boolean[] kept) {
    if (selected.length == 0) {
      return;
    }
    Instant now = versions.get(selected[0]).creation();
    for (int i : selected) {
      Instant c = versions.get(i).creation();
      if (c.isAfter(now)) {
        now = c;
      }
    }
    // Global bucket number (intervals laid end to end) per selected entry; -1: beyond the grid.
    long[] bucket = new long[selected.length];
    Integer[] order = new Integer[selected.length];
    for (int j = 0; j < selected.length; j++) {
      bucket[j] = bucketOf(ageNanos(now, versions.get(selected[j]).creation()));
      order[j] = j;
    }
    Arrays.sort(
        order,
        (x, y) -> {
          int c = Long.compare(bucket[x], bucket[y]);
          return c != 0
              ? c
              : OLDEST_FIRST.compare(versions.get(selected[x]), versions.get(selected[y]));
        });
    long current = Long.MIN_VALUE;
    int inBucket = 0;
    for (int j : order) {
      long b = bucket[j];
      if (b < 0) {
        continue;
      }
      if (b != current) {
        current = b;
        inBucket = 0;
      }
      inBucket++;
      int keep = intervals.get(intervalOf(b)).keep();
      if (keep == Interval.KEEP_ALL || inBucket <= keep) {
        kept[selected[j]] = true;
      }
    }
  }

  /** The global bucket number of an entry {@code age} old, or -1 if it is older than the grid. */
  private long bucketOf(long age) {
    long start = 0;
    long first = 0;
    for (Interval iv : intervals) {
      long length = iv.length().toNanos();
      long end = saturatedAdd(start, saturatedMultiply(length, iv.repeat()));
      if (age >= start && age < end) {
        return first + (age - start) / length;
      }
      start = end;
      first += iv.repeat();
    }
    return -1;
  }

  /** The interval that global bucket {@code bucket} belongs to. */
  private int intervalOf(long bucket) {
    long first = 0;
    for (int i = 0; i < intervals.size(); i++) {
      first += intervals.get(i).repeat();
      if (bucket < first) {
        return i;
      }
    }
    throw new IllegalArgumentException("bucket " + bucket + " is beyond the grid");
  }

  /**
   * {@code now - creation} in nanoseconds ({@code now} is the youngest entry, so never negative),
   * saturating at {@code Long.MAX_VALUE} (Go's duration limit); allocates nothing.
   */
  private static long ageNanos(Instant now, Instant creation) {
    long seconds = now.getEpochSecond() - creation.getEpochSecond();
    if (seconds >= 9_223_372_037L) {
      return Long.MAX_VALUE;
    }
    long base = seconds * 1_000_000_000L;
    long age = base + (now.getNano() - creation.getNano());
    return age < base && now.getNano() > creation.getNano() ? Long.MAX_VALUE : age;
  }

  static long saturatedAdd(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r; // both operands are non-negative here
  }

  static long saturatedMultiply(long a, long b) {
    long hi = Math.multiplyHigh(a, b);
    long lo = a * b;
    return (hi == 0 && lo >= 0) ? lo : Long.MAX_VALUE; // both operands are non-negative here
  }

  /** zrepl's notation, parts joined by {@code " | "}; parses back to an equal grid. */
  @Override
  public String toString() {
    return intervals.stream().map(Interval::toString).collect(Collectors.joining(" | "));
  }
}
