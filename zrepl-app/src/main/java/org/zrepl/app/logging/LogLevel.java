package org.zrepl.app.logging;

import org.slf4j.event.Level;

/** zrepl's four levels, most severe first; SLF4J's trace folds into debug. */
public enum LogLevel {
  ERROR(0),
  WARN(1),
  INFO(2),
  DEBUG(3);

  private final int severity;

  LogLevel(int severity) {
    this.severity = severity;
  }

  /** The word used in logfmt, json and metrics labels. */
  public String word() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Whether an entry at this level passes an outlet whose minimum is {@code min}. */
  public boolean passes(LogLevel min) {
    return severity <= min.severity;
  }

  static LogLevel of(Level level) {
    return switch (level) {
      case ERROR -> ERROR;
      case WARN -> WARN;
      case INFO -> INFO;
      case DEBUG, TRACE -> DEBUG;
    };
  }
}
