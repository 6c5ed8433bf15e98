package org.zrepl.app.logging;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The three formats of zrepl's outlets, each one line per entry:
 *
 * <pre>
 * human:  2026-11-25T10:00:00Z [INFO][prod][snapshot]: took snapshots count=3
 * logfmt: time=2026-11-25T10:00:00Z level=info job=prod subsystem=snapshot msg="took snapshots" count=3
 * json:   {"time":"2026-11-25T10:00:00Z","level":"info","job":"prod","subsystem":"snapshot","msg":"took snapshots","count":"3"}
 * </pre>
 *
 * Times are whole seconds in the outlet's zone (UTC prints {@code Z}); an empty job or subsystem is
 * left out. Every value is escaped and bounded by {@link LogText}: at most {@link
 * LogText#VALUE_MAX} characters each, and when the values of one entry would add up to more than
 * {@link LogText#LINE_MAX}, each is cut to an equal share of it. An entry with a stack trace ends
 * with it: in {@code human} as indented lines after the line (each starting with a tab, so no
 * reader takes one for an entry), in {@code logfmt} and {@code json} as the last field {@code
 * stack}, bounded by {@link LogText#STACK_MAX}.
 */
public enum LogFormat {
  HUMAN {
    @Override
    void head(StringBuilder b, LogEntry e, Options o) {
      if (o.time) {
        b.append(time(e, o.zone)).append(' ');
      }
      b.append('[');
      colored(b, e.level().name(), e.level(), o.color);
      b.append(']');
      if (!e.job().isEmpty()) {
        b.append('[');
        colored(b, LogText.clean(e.job(), o.budget), e.level(), o.color);
        b.append(']');
      }
      if (!e.subsystem().isEmpty()) {
        b.append('[');
        colored(b, LogText.clean(e.subsystem(), o.budget), e.level(), o.color);
        b.append(']');
      }
      b.append(": ");
      LogText.append(b, e.message(), o.budget, false);
      for (LogEntry.Field f : e.fields()) {
        b.append(' ');
        colored(b, Logfmt.key(f.key()), e.level(), o.color);
        b.append('=');
        Logfmt.value(b, f.value(), o.budget);
      }
    }

    @Override
    void stack(StringBuilder b, List<String> stack) {
      int used = 0;
      for (int i = 0; i < stack.size(); i++) {
        String line = LogText.clean(stack.get(i), LogText.VALUE_MAX);
        if (used + line.length() > LogText.STACK_MAX) {
          b.append("\n\t...[cut ").append(stack.size() - i).append(" lines]");
          return;
        }
        b.append("\n\t").append(line);
        used += line.length() + 2;
      }
    }
  },
  LOGFMT {
    @Override
    void head(StringBuilder b, LogEntry e, Options o) {
      if (o.time) {
        b.append("time=").append(time(e, o.zone)).append(' ');
      }
      b.append("level=").append(e.level().word());
      if (!e.job().isEmpty()) {
        b.append(" job=");
        Logfmt.value(b, e.job(), o.budget);
      }
      if (!e.subsystem().isEmpty()) {
        b.append(" subsystem=");
        Logfmt.value(b, e.subsystem(), o.budget);
      }
      b.append(" msg=");
      Logfmt.value(b, e.message(), o.budget);
      for (LogEntry.Field f : e.fields()) {
        b.append(' ').append(Logfmt.key(f.key())).append('=');
        Logfmt.value(b, f.value(), o.budget);
      }
    }

    @Override
    void stack(StringBuilder b, List<String> stack) {
      b.append(" stack=");
      JsonText.quote(b, String.join("\n", stack), LogText.STACK_MAX);
    }
  },
  JSON {
    @Override
    void head(StringBuilder b, LogEntry e, Options o) {
      b.append('{');
      if (o.time) {
        JsonText.member(b, "time", time(e, o.zone), o.budget);
      }
      JsonText.member(b, "level", e.level().word(), o.budget);
      if (!e.job().isEmpty()) {
        JsonText.member(b, "job", e.job(), o.budget);
      }
      if (!e.subsystem().isEmpty()) {
        JsonText.member(b, "subsystem", e.subsystem(), o.budget);
      }
      JsonText.member(b, "msg", e.message(), o.budget);
      for (LogEntry.Field f : e.fields()) {
        JsonText.member(b, f.key(), f.value(), o.budget);
      }
    }

    @Override
    void stack(StringBuilder b, List<String> stack) {
      JsonText.member(b, "stack", String.join("\n", stack), LogText.STACK_MAX);
    }

    @Override
    void end(StringBuilder b) {
      b.append('}');
    }
  };

  private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

  /** How an outlet wants its lines; {@code budget} is the per-value bound. */
  private record Options(boolean time, ZoneId zone, boolean color, int budget) {}

  /** The entry's line without its stack trace. */
  abstract void head(StringBuilder b, LogEntry e, Options o);

  /** Appends the stack trace (not empty) after the head. */
  abstract void stack(StringBuilder b, List<String> stack);

  void end(StringBuilder b) {}

  /** The entry as one line (no trailing newline; a human stack trace follows on indented lines). */
  String format(LogEntry e, boolean withTime, ZoneId zone) {
    return format(e, withTime, zone, false);
  }

  /**
   * As {@link #format(LogEntry, boolean, ZoneId)}; with {@code color} (human only), the level, job,
   * subsystem and field keys are in the level's ANSI colour, as zrepl's human format on a terminal.
   */
  String format(LogEntry e, boolean withTime, ZoneId zone, boolean color) {
    StringBuilder b = new StringBuilder(128);
    head(b, e, new Options(withTime, zone, color, LogText.VALUE_MAX));
    if (b.length() > LogText.LINE_MAX) {
      int values = 3 + e.fields().size();
      b.setLength(0);
      head(b, e, new Options(withTime, zone, color, Math.max(16, LogText.LINE_MAX / values)));
    }
    if (!e.stack().isEmpty()) {
      stack(b, e.stack());
    }
    end(b);
    return b.toString();
  }

  public String format(LogEntry e) {
    return format(e, true, java.time.ZoneOffset.UTC);
  }

  private static String time(LogEntry e, ZoneId zone) {
    return TIME.format(e.time().truncatedTo(ChronoUnit.SECONDS).atZone(zone));
  }

  /** ANSI SGR colours per level: debug blue, info green, warn yellow, error bold red. */
  static String ansi(LogLevel l) {
    return switch (l) {
      case DEBUG -> "\u001b[34m";
      case INFO -> "\u001b[32m";
      case WARN -> "\u001b[33m";
      case ERROR -> "\u001b[1;31m";
    };
  }

  static final String RESET = "\u001b[0m";

  private static void colored(StringBuilder b, String text, LogLevel l, boolean color) {
    if (color) {
      b.append(ansi(l)).append(text).append(RESET);
    } else {
      b.append(text);
    }
  }
}
