package org.zrepl.domain.snapshot;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Formats times with a Go {@code time.Format} layout such as {@code 2006-01-02T15:04:05.000Z0700},
 * which zrepl accepts as a custom {@code timestamp_format}.
 *
 * <p>The layout is split into chunks the way Go's {@code nextStdChunk} does: the reference time
 * {@code Mon Jan 2 15:04:05 MST 2006} provides the elements ({@code 2006 06 January Jan 01 1 Monday
 * Mon 02 _2 2 __2 002 15 03 3 04 4 05 5 PM pm MST}, the numeric zones {@code -0700 -07:00 -07
 * -070000 -07:00:00} and their {@code Z...} ISO-8601 forms which print {@code Z} for UTC, and
 * fractional seconds {@code .000}/{@code ,000} (fixed width) or {@code .999}/{@code ,999} (trailing
 * zeros trimmed)); everything else is literal. Names are English, as in Go. {@code MST} prints the
 * zone's short name from Java's time-zone data, which may differ from Go's tzdata abbreviation for
 * a few zones.
 */
final class GoTimeLayout {

  private enum Std {
    LONG_MONTH,
    MONTH,
    NUM_MONTH,
    ZERO_MONTH,
    LONG_WEEKDAY,
    WEEKDAY,
    DAY,
    UNDER_DAY,
    ZERO_DAY,
    UNDER_YEARDAY,
    ZERO_YEARDAY,
    HOUR,
    HOUR12,
    ZERO_HOUR12,
    MINUTE,
    ZERO_MINUTE,
    SECOND,
    ZERO_SECOND,
    LONG_YEAR,
    YEAR,
    PM_UPPER,
    PM_LOWER,
    TZ_NAME,
    ISO_TZ,
    ISO_SECONDS_TZ,
    ISO_SHORT_TZ,
    ISO_COLON_TZ,
    ISO_COLON_SECONDS_TZ,
    NUM_TZ,
    NUM_SECONDS_TZ,
    NUM_SHORT_TZ,
    NUM_COLON_TZ,
    NUM_COLON_SECONDS_TZ,
    FRAC_FIXED,
    FRAC_TRIMMED
  }

  /** A literal, or a layout element with its source length (and digits/separator for fractions). */
  private record Chunk(String literal, Std std, int digits, char separator) {}

  private final String layout;
  private final List<Chunk> chunks;

  private GoTimeLayout(String layout, List<Chunk> chunks) {
    this.layout = layout;
    this.chunks = List.copyOf(chunks);
  }

  static GoTimeLayout compile(String layout) {
    List<Chunk> chunks = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    int i = 0;
    while (i < layout.length()) {
      Match m = matchAt(layout, i);
      if (m == null) {
        literal.append(layout.charAt(i));
        i++;
        continue;
      }
      if (literal.length() > 0) {
        chunks.add(new Chunk(literal.toString(), null, 0, ' '));
        literal.setLength(0);
      }
      chunks.add(m.chunk());
      i += m.length();
    }
    if (literal.length() > 0) {
      chunks.add(new Chunk(literal.toString(), null, 0, ' '));
    }
    return new GoTimeLayout(layout, chunks);
  }

  private record Match(Chunk chunk, int length) {}

  private static Match std(Std std, int length) {
    return new Match(new Chunk(null, std, 0, ' '), length);
  }

  /** Go's nextStdChunk, applied at position {@code i}; null if a literal character starts there. */
  private static Match matchAt(String l, int i) {
    return switch (l.charAt(i)) {
      case 'J' -> month(l, i);
      case 'M' -> weekdayOrZoneName(l, i);
      case '0' -> zeroPadded(l, i);
      case '1' -> l.startsWith("15", i) ? std(Std.HOUR, 2) : std(Std.NUM_MONTH, 1);
      case '2' -> l.startsWith("2006", i) ? std(Std.LONG_YEAR, 4) : std(Std.DAY, 1);
      case '_' -> underscore(l, i);
      case '3' -> std(Std.HOUR12, 1);
      case '4' -> std(Std.MINUTE, 1);
      case '5' -> std(Std.SECOND, 1);
      case 'P' -> l.startsWith("PM", i) ? std(Std.PM_UPPER, 2) : null;
      case 'p' -> l.startsWith("pm", i) ? std(Std.PM_LOWER, 2) : null;
      case '-' ->
          zone(
              l,
              i,
              "-",
              Std.NUM_SECONDS_TZ,
              Std.NUM_COLON_SECONDS_TZ,
              Std.NUM_TZ,
              Std.NUM_COLON_TZ,
              Std.NUM_SHORT_TZ);
      case 'Z' ->
          zone(
              l,
              i,
              "Z",
              Std.ISO_SECONDS_TZ,
              Std.ISO_COLON_SECONDS_TZ,
              Std.ISO_TZ,
              Std.ISO_COLON_TZ,
              Std.ISO_SHORT_TZ);
      case '.', ',' -> fraction(l, i);
      default -> null;
    };
  }

  private static Match month(String l, int i) {
    if (l.startsWith("January", i)) {
      return std(Std.LONG_MONTH, 7);
    }
    if (l.startsWith("Jan", i) && !startsWithLowerCase(l, i + 3)) {
      return std(Std.MONTH, 3);
    }
    return null;
  }

  private static Match weekdayOrZoneName(String l, int i) {
    if (l.startsWith("Monday", i)) {
      return std(Std.LONG_WEEKDAY, 6);
    }
    if (l.startsWith("Mon", i) && !startsWithLowerCase(l, i + 3)) {
      return std(Std.WEEKDAY, 3);
    }
    if (l.startsWith("MST", i)) {
      return std(Std.TZ_NAME, 3);
    }
    return null;
  }

  /** {@code 01 02 03 04 05 06} and {@code 002}. */
  private static Match zeroPadded(String l, int i) {
    if (i + 1 < l.length() && l.charAt(i + 1) >= '1' && l.charAt(i + 1) <= '6') {
      Std[] zeroX = {
        Std.ZERO_MONTH, Std.ZERO_DAY, Std.ZERO_HOUR12, Std.ZERO_MINUTE, Std.ZERO_SECOND, Std.YEAR
      };
      return std(zeroX[l.charAt(i + 1) - '1'], 2);
    }
    if (l.startsWith("002", i)) {
      return std(Std.ZERO_YEARDAY, 3);
    }
    return null;
  }

  private static Match underscore(String l, int i) {
    if (l.startsWith("_2", i)) {
      // "_2006" is a literal '_' followed by the long year
      return l.startsWith("_2006", i) ? null : std(Std.UNDER_DAY, 2);
    }
    return l.startsWith("__2", i) ? std(Std.UNDER_YEARDAY, 3) : null;
  }

  /**
   * {@code .000} or {@code ,999}: a run of 0s or 9s after the separator, not followed by a digit.
   */
  private static Match fraction(String l, int i) {
    if (i + 1 < l.length() && (l.charAt(i + 1) == '0' || l.charAt(i + 1) == '9')) {
      char digit = l.charAt(i + 1);
      int j = i + 1;
      while (j < l.length() && l.charAt(j) == digit) {
        j++;
      }
      if (j >= l.length() || l.charAt(j) < '0' || l.charAt(j) > '9') {
        Std kind = digit == '0' ? Std.FRAC_FIXED : Std.FRAC_TRIMMED;
        return new Match(new Chunk(null, kind, j - (i + 1), l.charAt(i)), j - i);
      }
    }
    return null;
  }

  private static Match zone(
      String l, int i, String lead, Std seconds, Std colonSeconds, Std plain, Std colon, Std shrt) {
    if (l.startsWith(lead + "070000", i)) {
      return std(seconds, 7);
    }
    if (l.startsWith(lead + "07:00:00", i)) {
      return std(colonSeconds, 9);
    }
    if (l.startsWith(lead + "0700", i)) {
      return std(plain, 5);
    }
    if (l.startsWith(lead + "07:00", i)) {
      return std(colon, 6);
    }
    if (l.startsWith(lead + "07", i)) {
      return std(shrt, 3);
    }
    return null;
  }

  private static boolean startsWithLowerCase(String l, int i) {
    return i < l.length() && l.charAt(i) >= 'a' && l.charAt(i) <= 'z';
  }

  String layout() {
    return layout;
  }

  /** Go's {@code t.Format(layout)}. */
  String format(ZonedDateTime t) {
    StringBuilder b = new StringBuilder();
    for (Chunk ch : chunks) {
      if (ch.std() == null) {
        b.append(ch.literal());
      } else {
        append(b, ch, t);
      }
    }
    return b.toString();
  }

  private static void append(StringBuilder b, Chunk ch, ZonedDateTime t) {
    switch (ch.std()) {
      case LONG_MONTH -> b.append(t.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
      case MONTH -> b.append(t.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
      case NUM_MONTH -> b.append(t.getMonthValue());
      case ZERO_MONTH -> pad(b, t.getMonthValue(), 2, '0');
      case LONG_WEEKDAY ->
          b.append(t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
      case WEEKDAY -> b.append(t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
      case DAY -> b.append(t.getDayOfMonth());
      case UNDER_DAY -> pad(b, t.getDayOfMonth(), 2, ' ');
      case ZERO_DAY -> pad(b, t.getDayOfMonth(), 2, '0');
      case UNDER_YEARDAY -> pad(b, t.getDayOfYear(), 3, ' ');
      case ZERO_YEARDAY -> pad(b, t.getDayOfYear(), 3, '0');
      case HOUR -> pad(b, t.getHour(), 2, '0');
      case HOUR12 -> b.append(hour12(t));
      case ZERO_HOUR12 -> pad(b, hour12(t), 2, '0');
      case MINUTE -> b.append(t.getMinute());
      case ZERO_MINUTE -> pad(b, t.getMinute(), 2, '0');
      case SECOND -> b.append(t.getSecond());
      case ZERO_SECOND -> pad(b, t.getSecond(), 2, '0');
      case LONG_YEAR -> {
        int y = t.getYear();
        if (y < 0) {
          b.append('-');
        }
        pad(b, Math.abs(y), 4, '0');
      }
      case YEAR -> pad(b, Math.floorMod(t.getYear(), 100), 2, '0');
      case PM_UPPER -> b.append(t.getHour() >= 12 ? "PM" : "AM");
      case PM_LOWER -> b.append(t.getHour() >= 12 ? "pm" : "am");
      case TZ_NAME -> appendZoneName(b, t);
      case FRAC_FIXED, FRAC_TRIMMED -> appendFraction(b, ch, t.getNano());
      default -> appendOffset(b, ch.std(), t.getOffset().getTotalSeconds());
    }
  }

  private static int hour12(ZonedDateTime t) {
    int h = t.getHour() % 12;
    return h == 0 ? 12 : h;
  }

  private static void pad(StringBuilder b, int value, int width, char fill) {
    String s = Integer.toString(value);
    for (int i = s.length(); i < width; i++) {
      b.append(fill);
    }
    b.append(s);
  }

  private static void appendFraction(StringBuilder b, Chunk ch, int nanos) {
    // Go prints at most nanoseconds: nine digits, even for a longer run in the layout
    String digits =
        String.format(Locale.ROOT, "%09d", nanos).substring(0, Math.min(9, ch.digits()));
    if (ch.std() == Std.FRAC_TRIMMED) {
      digits = digits.replaceFirst("0+$", "");
      if (digits.isEmpty()) {
        return;
      }
    }
    b.append(ch.separator()).append(digits);
  }

  private static void appendZoneName(StringBuilder b, ZonedDateTime t) {
    if (t.getZone().normalized().equals(ZoneOffset.UTC)) {
      b.append("UTC");
      return;
    }
    if (t.getZone() instanceof ZoneOffset) {
      // Go prints a zone without abbreviation as -0700
      appendOffset(b, Std.NUM_TZ, t.getOffset().getTotalSeconds());
      return;
    }
    b.append(DateTimeFormatter.ofPattern("zzz", Locale.ENGLISH).format(t));
  }

  private static void appendOffset(StringBuilder b, Std std, int offsetSeconds) {
    boolean iso = std.name().startsWith("ISO_");
    if (iso && offsetSeconds == 0) {
      b.append('Z');
      return;
    }
    int abs = Math.abs(offsetSeconds);
    b.append(offsetSeconds < 0 ? '-' : '+');
    pad(b, abs / 3600, 2, '0');
    boolean colon = std.name().contains("COLON");
    if (std != Std.NUM_SHORT_TZ && std != Std.ISO_SHORT_TZ) {
      if (colon) {
        b.append(':');
      }
      pad(b, abs / 60 % 60, 2, '0');
    }
    if (std.name().contains("SECONDS")) {
      if (colon) {
        b.append(':');
      }
      pad(b, abs % 60, 2, '0');
    }
  }
}
