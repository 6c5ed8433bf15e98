package org.zrepl.app.logging;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One log entry, formatted by a {@link LogFormat}.
 *
 * @param job the job it concerns, or empty for the daemon itself
 * @param subsystem the part of zrepl that logged it (snapshot, prune, replication, control, ...),
 *     or empty
 * @param fields key-value pairs, in the order they were added
 * @param stack the stack trace of the error logged with the entry, one element per line as {@code
 *     Throwable.printStackTrace} would write it (unescaped; the formats escape and bound it), or
 *     empty
 */
public record LogEntry(
    Instant time,
    LogLevel level,
    String job,
    String subsystem,
    String message,
    List<Field> fields,
    List<String> stack) {

  public LogEntry {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(level, "level");
    job = job == null ? "" : job;
    subsystem = subsystem == null ? "" : subsystem;
    Objects.requireNonNull(message, "message");
    fields = List.copyOf(fields);
    stack = List.copyOf(stack);
  }

  /** An entry without a stack trace. */
  public LogEntry(
      Instant time,
      LogLevel level,
      String job,
      String subsystem,
      String message,
      List<Field> fields) {
    this(time, level, job, subsystem, message, fields, List.of());
  }

  /** A key-value pair. */
  public record Field(String key, String value) {
    public Field {
      Objects.requireNonNull(key, "key");
      if (key.isEmpty()) {
        throw new IllegalArgumentException("field key must not be empty");
      }
      value = String.valueOf(value);
    }
  }
}
