package org.zrepl.app.config;

import com.cronutils.model.Cron;
import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.ZonedDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A cron schedule as zrepl reads it (robfig/cron with {@code SecondOptional}): five fields {@code
 * minute hour day-of-month month day-of-week}, or six with a leading seconds field. No
 * {@code @daily}-style descriptors. Parsing is cron-utils', with a definition matching those
 * fields.
 *
 * <p>Days follow robfig/cron and crontab(5): when both day-of-month and day-of-week are restricted
 * (neither is {@code *} or {@code ?}, a step of 2 or more counting as restricted), a day matches if
 * <em>either</em> field matches; {@code 30 4 1,15 * 5} fires on the 1st, the 15th and every Friday.
 * When one of them is unrestricted, both must match (which means: the other one alone). cron-utils
 * only knows "both must match", so such an expression is kept as two schedules, one per day field
 * (the other set to {@code ?}), and {@link #next} takes the earlier of the two.
 *
 * @param alternatives one cron-utils schedule, or two whose union is the expression's
 */
public record CronSpec(String expression, List<Cron> alternatives) {

  private static final CronParser FIVE = new CronParser(definition(false));
  private static final CronParser SIX = new CronParser(definition(true));

  public CronSpec {
    Objects.requireNonNull(expression, "expression");
    alternatives = List.copyOf(alternatives);
    if (alternatives.isEmpty() || alternatives.size() > 2) {
      throw new IllegalArgumentException(
          "alternatives must hold 1 or 2 schedules, got " + alternatives.size());
    }
  }

  /** Parses {@code expression}; throws IllegalArgumentException naming the problem. */
  public static CronSpec parse(String expression) {
    String trimmed = expression.strip();
    if (trimmed.startsWith("@")) {
      throw new IllegalArgumentException(
          "descriptors such as '" + trimmed + "' are not supported, write the five fields");
    }
    int fields = trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
    if (fields != 5 && fields != 6) {
      throw new IllegalArgumentException(
          "expected 5 fields (minute hour day-of-month month day-of-week) or 6 with seconds first,"
              + " got "
              + fields
              + " in '"
              + expression
              + "'");
    }
    CronParser parser = fields == 5 ? FIVE : SIX;
    try {
      Cron cron = parser.parse(trimmed);
      cron.validate();
      String[] f = trimmed.split("\\s+");
      int dom = fields - 3;
      int dow = fields - 1;
      if (unrestricted(f[dom]) || unrestricted(f[dow])) {
        return new CronSpec(expression, List.of(cron));
      }
      return new CronSpec(
          expression, List.of(withDay(parser, f, dow, "?"), withDay(parser, f, dom, "?")));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "cron syntax invalid: '" + expression + "': " + e.getMessage(), e);
    }
  }

  /**
   * robfig/cron's "star" day field: some comma-separated part is {@code *} or {@code ?} with no
   * step or a step of 1 (a stepped star such as <code>*&#47;2</code> restricts).
   */
  static boolean unrestricted(String field) {
    for (String part : field.split(",", -1)) {
      String[] rangeAndStep = part.split("/", -1);
      boolean star = rangeAndStep[0].equals("*") || rangeAndStep[0].equals("?");
      if (star && (rangeAndStep.length == 1 || stepOfOne(rangeAndStep[1]))) {
        return true;
      }
    }
    return false;
  }

  private static boolean stepOfOne(String step) {
    try {
      return Integer.parseInt(step) <= 1;
    } catch (NumberFormatException e) {
      return false; // cron-utils has refused it already
    }
  }

  private static Cron withDay(CronParser parser, String[] fields, int index, String value) {
    String[] copy = fields.clone();
    copy[index] = value;
    Cron cron = parser.parse(String.join(" ", copy));
    cron.validate();
    return cron;
  }

  /** The first time strictly after {@code after} that matches. */
  public Optional<ZonedDateTime> next(ZonedDateTime after) {
    return alternatives.stream()
        .map(c -> ExecutionTime.forCron(c).nextExecution(after))
        .flatMap(Optional::stream)
        .min(Comparator.naturalOrder());
  }

  @Override
  public String toString() {
    return expression;
  }

  /** Equal when written the same (cron-utils' model has no value equality). */
  @Override
  public boolean equals(Object o) {
    return o instanceof CronSpec other && expression.equals(other.expression);
  }

  @Override
  public int hashCode() {
    return expression.hashCode();
  }

  private static CronDefinition definition(boolean seconds) {
    var b = CronDefinitionBuilder.defineCron();
    if (seconds) {
      b = b.withSeconds().withValidRange(0, 59).withStrictRange().and();
    }
    return b.withMinutes()
        .withValidRange(0, 59)
        .withStrictRange()
        .and()
        .withHours()
        .withValidRange(0, 23)
        .withStrictRange()
        .and()
        .withDayOfMonth()
        .withValidRange(1, 31)
        .supportsQuestionMark()
        .withStrictRange()
        .and()
        .withMonth()
        .withValidRange(1, 12)
        .withStrictRange()
        .and()
        .withDayOfWeek()
        .withValidRange(0, 6)
        .withMondayDoWValue(1)
        .supportsQuestionMark()
        .withStrictRange()
        .and()
        .matchDayOfWeekAndDayOfMonth()
        .instance();
  }
}
