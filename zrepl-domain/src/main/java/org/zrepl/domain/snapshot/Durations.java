package org.zrepl.domain.snapshot;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The duration grammars of zrepl's configuration.
 *
 * <p>{@link #parse} is zrepl's own grammar, used for {@code snapshotting.interval}, the pull job's
 * {@code interval} and the durations inside a retention grid: optional whitespace, an optionally
 * signed decimal integer, optional whitespace, one unit of {@code s m h d w} ({@code d} = 24h,
 * {@code w} = 7d), optional whitespace. A bare {@code 0} is allowed without unit. Compound forms
 * such as {@code 1h30m} or fractions are <em>not</em> accepted (zrepl rejects them too).
 *
 * <p>{@link #parseGo} is Go's {@code time.ParseDuration}, which zrepl uses for plain {@code
 * time.Duration} fields such as {@code dial_timeout} or a hook's {@code timeout}: {@code 300ms},
 * {@code 1.5h}, {@code 2h45m}; units {@code ns us µs ms s m h}; no {@code d} or {@code w}.
 *
 * <p>Both reject values that do not fit Go's {@code time.Duration} (int64 nanoseconds, about 292
 * years), since zrepl could not represent them either.
 */
public final class Durations {

  /** Go's time.Duration range: int64 nanoseconds. */
  private static final BigInteger MAX_NANOS = BigInteger.valueOf(Long.MAX_VALUE);

  private static final BigInteger MIN_NANOS = BigInteger.valueOf(Long.MIN_VALUE);

  /** zrepl's durationStringRegex; {@code \s} and {@code \d} are ASCII-only as in Go's RE2. */
  private static final Pattern ZREPL =
      Pattern.compile(
          "^[\\t\\n\\f\\r ]*([+-]?[0-9]+)[\\t\\n\\f\\r ]*(|s|m|h|d|w)[\\t\\n\\f\\r ]*$");

  private Durations() {}

  /**
   * Parses zrepl's duration grammar ({@code 30s}, {@code 10m}, {@code 1h}, {@code 2d}, {@code 1w},
   * {@code 0}); zero and negative values are allowed, see {@link #parsePositive}.
   *
   * @throws IllegalArgumentException quoting the input if it does not match the grammar
   */
  public static Duration parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("invalid duration: must not be null");
    }
    Matcher m = ZREPL.matcher(text);
    if (!m.matches()) {
      throw invalid(
          text, "expected an integer followed by one of the units s, m, h, d, w (e.g. '10m')");
    }
    BigInteger factor = new BigInteger(m.group(1));
    String unit = m.group(2);
    if (unit.isEmpty()) {
      if (factor.signum() != 0) {
        throw invalid(text, "missing time unit (one of s, m, h, d, w)");
      }
      return Duration.ZERO;
    }
    long unitSeconds =
        switch (unit) {
          case "s" -> 1L;
          case "m" -> 60L;
          case "h" -> 3600L;
          case "d" -> 24L * 3600L;
          case "w" -> 7L * 24L * 3600L;
          default -> throw new AssertionError(unit);
        };
    BigInteger nanos = factor.multiply(BigInteger.valueOf(unitSeconds * 1_000_000_000L));
    return fromNanos(text, nanos);
  }

  /**
   * Like {@link #parse}, but the result must be positive, as for zrepl's {@code PositiveDuration}
   * fields (snapshotting interval, retention grid durations).
   */
  public static Duration parsePositive(String text) {
    Duration d = parse(text);
    if (d.isZero() || d.isNegative()) {
      throw invalid(text, "duration must be positive");
    }
    return d;
  }

  /**
   * Parses Go's {@code time.ParseDuration} grammar: an optionally signed sequence of decimal
   * numbers, each with optional fraction and a unit suffix ({@code ns}, {@code us}/{@code µs},
   * {@code ms}, {@code s}, {@code m}, {@code h}); a bare {@code 0} is allowed.
   */
  public static Duration parseGo(String text) {
    if (text == null) {
      throw new IllegalArgumentException("invalid duration: must not be null");
    }
    String s = text;
    boolean negative = false;
    if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
      negative = s.charAt(0) == '-';
      s = s.substring(1);
    }
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    if (s.isEmpty()) {
      throw invalid(text, "expected a number with a unit such as '300ms', '1.5h' or '2h45m'");
    }
    BigDecimal total = BigDecimal.ZERO;
    int i = 0;
    while (i < s.length()) {
      int start = i;
      while (i < s.length() && isDigit(s.charAt(i))) {
        i++;
      }
      boolean intDigits = i > start;
      int fracStart = i;
      if (i < s.length() && s.charAt(i) == '.') {
        i++;
        while (i < s.length() && isDigit(s.charAt(i))) {
          i++;
        }
      }
      boolean fracDigits = i > fracStart + 1;
      if (!intDigits && !fracDigits) {
        throw invalid(text, "expected a number at offset " + start);
      }
      BigDecimal number = new BigDecimal(s.substring(start, i).replaceFirst("\\.$", ""));
      int unitStart = i;
      while (i < s.length() && s.charAt(i) != '.' && !isDigit(s.charAt(i))) {
        i++;
      }
      String unit = s.substring(unitStart, i);
      long unitNanos = goUnitNanos(text, unit);
      total = total.add(number.multiply(BigDecimal.valueOf(unitNanos)));
    }
    BigInteger nanos = total.toBigInteger(); // truncates toward zero, as Go does
    return fromNanos(text, negative ? nanos.negate() : nanos);
  }

  private static long goUnitNanos(String text, String unit) {
    return switch (unit) {
      case "ns" -> 1L;
      case "us", "\u00b5s", "\u03bcs" -> 1_000L;
      case "ms" -> 1_000_000L;
      case "s" -> 1_000_000_000L;
      case "m" -> 60_000_000_000L;
      case "h" -> 3_600_000_000_000L;
      case "" -> throw invalid(text, "missing unit (one of ns, us, ms, s, m, h)");
      default -> throw invalid(text, "unknown unit '" + unit + "' (one of ns, us, ms, s, m, h)");
    };
  }

  /**
   * Prints {@code d} so that it parses back to the same value: whole seconds in zrepl's grammar
   * with the largest unit that divides them exactly ({@code 90m}, {@code 2w}, {@code 0s}); a value
   * with a sub-second part in Go's grammar ({@code 1500ms}), which only {@link #parseGo} accepts.
   */
  public static String format(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    String sign = d.isNegative() ? "-" : "";
    BigInteger nanos = toNanos(d).abs();
    String[] units = {"w", "d", "h", "m", "s", "ms", "us", "ns"};
    long[] sizes = {
      7L * 24 * 3600 * 1_000_000_000L,
      24L * 3600 * 1_000_000_000L,
      3600L * 1_000_000_000L,
      60L * 1_000_000_000L,
      1_000_000_000L,
      1_000_000L,
      1_000L,
      1L
    };
    for (int i = 0; i < units.length; i++) {
      BigInteger[] qr = nanos.divideAndRemainder(BigInteger.valueOf(sizes[i]));
      if (qr[1].signum() == 0) {
        return sign + qr[0] + units[i];
      }
    }
    throw new AssertionError("unreachable: every duration is a whole number of nanoseconds");
  }

  private static BigInteger toNanos(Duration d) {
    return BigInteger.valueOf(d.getSeconds())
        .multiply(BigInteger.valueOf(1_000_000_000L))
        .add(BigInteger.valueOf(d.getNano()));
  }

  private static Duration fromNanos(String text, BigInteger nanos) {
    if (nanos.compareTo(MAX_NANOS) > 0 || nanos.compareTo(MIN_NANOS) < 0) {
      throw invalid(text, "out of range (more than about 292 years)");
    }
    return Duration.ofNanos(nanos.longValueExact());
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static IllegalArgumentException invalid(String text, String why) {
    return new IllegalArgumentException("invalid duration '" + text + "': " + why);
  }
}
