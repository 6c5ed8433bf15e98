package org.zrepl.app.config;

import com.cronutils.model.Cron;
import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.ZonedDateTime;
import java.util.Objects;
import java.util.Optional;

/**
 * A cron schedule as zrepl reads it (robfig/cron with {@code SecondOptional}): five fields {@code
 * minute hour day-of-month month day-of-week}, or six with a leading seconds field. No
 * {@code @daily}-style descriptors. Parsing is cron-utils', with a definition matching those
 * fields.
 */
public record CronSpec(String expression, Cron cron) {

  private static final CronParser FIVE = new CronParser(definition(false));
  private static final CronParser SIX = new CronParser(definition(true));

  public CronSpec {
    Objects.requireNonNull(expression, "expression");
    Objects.requireNonNull(cron, "cron");
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
    try {
      Cron cron = (fields == 5 ? FIVE : SIX).parse(trimmed);
      cron.validate();
      return new CronSpec(expression, cron);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "cron syntax invalid: '" + expression + "': " + e.getMessage(), e);
    }
  }

  /** The first time strictly after {@code after} that matches. */
  public Optional<ZonedDateTime> next(ZonedDateTime after) {
    return ExecutionTime.forCron(cron).nextExecution(after);
  }

  @Override
  public String toString() {
    return expression;
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
