package org.zrepl.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A year of firings of {@link CronSpec#next} against an independent evaluator written here: it
 * tests every minute of the year against the five fields, with robfig/cron's day rule (either day
 * field matches when both are restricted, both when one is {@code *} or {@code ?}).
 */
class CronSpecYearTest {

  static final ZonedDateTime START = ZonedDateTime.of(2026, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
  static final ZonedDateTime END = START.plusYears(1);

  @ParameterizedTest
  @ValueSource(
      strings = {
        "30 4 1,15 * 5",
        "0 0 13 * 5",
        "0 12 * * 1-5",
        "0 12 * * MON-FRI",
        "15 3 1 * *",
        "0 6 */2 * *",
        "0 6 */2 * 0",
        "0 6 ? * 3",
        "0 6 10-12 * ?",
        "0 0 31 * 1",
        "0 0 29 2 *",
        "0 0 29 2 0",
        "*/20 1 * JAN,jul 6",
        "0 */8 1-7 * 1",
        "45 23 * 1 *",
        "0 0 1,*/10 * 2",
        "5 4 * * 0,6",
        "0 22 1/7 * 4",
      })
  void aYearOfFiringsMatchesTheBruteForceEvaluator(String expression) {
    assertThat(firings(CronSpec.parse(expression))).isEqualTo(bruteForce(expression));
  }

  @Test
  void theIssuesExampleFiresOnThe1stThe15thAndEveryFriday() {
    List<ZonedDateTime> fired = firings(CronSpec.parse("30 4 1,15 * 5"));

    List<ZonedDateTime> expected = new ArrayList<>();
    for (ZonedDateTime d = START; d.isBefore(END); d = d.plusDays(1)) {
      if (d.getDayOfMonth() == 1
          || d.getDayOfMonth() == 15
          || d.getDayOfWeek() == DayOfWeek.FRIDAY) {
        expected.add(d.withHour(4).withMinute(30));
      }
    }
    // 24 fixed days and 52 Fridays of 2026, two of which (May 1st, May 15th) are both
    assertThat(expected).hasSize(24 + 52 - 2);
    assertThat(fired).isEqualTo(expected);
  }

  @Test
  void sixFieldsWithSecondsUseTheSameDayRule() {
    CronSpec s = CronSpec.parse("10 30 4 1,15 * 5");
    // 2026-03-05 is a Thursday: the next firing is Friday the 6th, not the 15th.
    assertThat(s.next(ZonedDateTime.parse("2026-03-05T00:00Z")))
        .contains(ZonedDateTime.parse("2026-03-06T04:30:10Z"));
    assertThat(s.next(ZonedDateTime.parse("2026-03-14T00:00Z")))
        .contains(ZonedDateTime.parse("2026-03-15T04:30:10Z"));
  }

  @Test
  void starAndSteppedStarAsRobfigReadsThem() {
    assertThat(CronSpec.unrestricted("*")).isTrue();
    assertThat(CronSpec.unrestricted("?")).isTrue();
    assertThat(CronSpec.unrestricted("*/1")).isTrue();
    assertThat(CronSpec.unrestricted("1,*")).isTrue();
    assertThat(CronSpec.unrestricted("*/2")).isFalse();
    assertThat(CronSpec.unrestricted("1-31")).isFalse();
  }

  private static List<ZonedDateTime> firings(CronSpec spec) {
    List<ZonedDateTime> out = new ArrayList<>();
    ZonedDateTime t = START.minusSeconds(1);
    while (true) {
      t = spec.next(t).orElseThrow();
      if (!t.isBefore(END)) {
        return out;
      }
      out.add(t);
    }
  }

  // ---- the independent evaluator ----

  private static final Map<String, Integer> MONTHS =
      Map.ofEntries(
          Map.entry("jan", 1),
          Map.entry("feb", 2),
          Map.entry("mar", 3),
          Map.entry("apr", 4),
          Map.entry("may", 5),
          Map.entry("jun", 6),
          Map.entry("jul", 7),
          Map.entry("aug", 8),
          Map.entry("sep", 9),
          Map.entry("oct", 10),
          Map.entry("nov", 11),
          Map.entry("dec", 12));
  private static final Map<String, Integer> DAYS =
      Map.of("sun", 0, "mon", 1, "tue", 2, "wed", 3, "thu", 4, "fri", 5, "sat", 6);

  /** A field's values, and whether robfig would call it a star. */
  record Field(BitSet values, boolean star) {}

  static Field field(String text, int min, int max, Map<String, Integer> names) {
    BitSet bits = new BitSet();
    boolean star = false;
    for (String part : text.toLowerCase(Locale.ROOT).split(",", 0)) {
      String[] rs = part.split("/", 0);
      int step = rs.length == 2 ? Integer.parseInt(rs[1]) : 1;
      int lo;
      int hi;
      if (rs[0].equals("*") || rs[0].equals("?")) {
        lo = min;
        hi = max;
        star |= step == 1;
      } else if (rs[0].contains("-")) {
        String[] lh = rs[0].split("-", 0);
        lo = value(lh[0], names);
        hi = value(lh[1], names);
      } else {
        lo = value(rs[0], names);
        hi = rs.length == 2 ? max : lo;
      }
      for (int v = lo; v <= hi; v += step) {
        bits.set(v);
      }
    }
    return new Field(bits, star);
  }

  static int value(String s, Map<String, Integer> names) {
    Integer named = names.get(s);
    return named != null ? named : Integer.parseInt(s);
  }

  static List<ZonedDateTime> bruteForce(String expression) {
    String[] f = expression.trim().split("\\s+", 0);
    Field minute = field(f[0], 0, 59, Map.of());
    Field hour = field(f[1], 0, 23, Map.of());
    Field dom = field(f[2], 1, 31, Map.of());
    Field month = field(f[3], 1, 12, MONTHS);
    Field dow = field(f[4], 0, 6, DAYS);
    List<ZonedDateTime> out = new ArrayList<>();
    for (ZonedDateTime t = START; t.isBefore(END); t = t.plus(1, ChronoUnit.MINUTES)) {
      boolean domOk = dom.values().get(t.getDayOfMonth());
      boolean dowOk = dow.values().get(t.getDayOfWeek().getValue() % 7);
      boolean day = (dom.star() || dow.star()) ? (domOk && dowOk) : (domOk || dowOk);
      if (day
          && minute.values().get(t.getMinute())
          && hour.values().get(t.getHour())
          && month.values().get(t.getMonthValue())) {
        out.add(t);
      }
    }
    return out;
  }
}
