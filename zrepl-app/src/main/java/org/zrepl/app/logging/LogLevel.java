package org.zrepl.app.logging;

import org.slf4j.event.Level;

/** zrepl's four levels, most severe first; SLF4J's trace folds into debug. */
public enum LogLevel {
  ERROR,
  WARN,
  INFO,
  DEBUG;

  /** The word used in logfmt, json and metrics labels. */
  public String word() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Whether an entry at this level passes an outlet whose minimum is {@code min}. */
  public boolean passes(LogLevel min) {
    return ordinal() <= min.ordinal();
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
