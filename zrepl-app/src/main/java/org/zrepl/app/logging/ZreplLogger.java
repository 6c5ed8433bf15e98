package org.zrepl.app.logging;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.MDC;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;
import org.slf4j.event.Level;
import org.slf4j.event.LoggingEvent;
import org.slf4j.helpers.AbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.spi.LoggingEventAware;

/** An SLF4J logger that turns calls into {@link LogEntry}s for {@link Logging}. */
final class ZreplLogger extends AbstractLogger implements LoggingEventAware {

  private static final long serialVersionUID = 1L;

  ZreplLogger(String name) {
    this.name = name;
  }

  @Override
  public boolean isTraceEnabled() {
    return Logging.enabled(LogLevel.DEBUG);
  }

  @Override
  public boolean isTraceEnabled(Marker marker) {
    return isTraceEnabled();
  }

  @Override
  public boolean isDebugEnabled() {
    return Logging.enabled(LogLevel.DEBUG);
  }

  @Override
  public boolean isDebugEnabled(Marker marker) {
    return isDebugEnabled();
  }

  @Override
  public boolean isInfoEnabled() {
    return Logging.enabled(LogLevel.INFO);
  }

  @Override
  public boolean isInfoEnabled(Marker marker) {
    return isInfoEnabled();
  }

  @Override
  public boolean isWarnEnabled() {
    return Logging.enabled(LogLevel.WARN);
  }

  @Override
  public boolean isWarnEnabled(Marker marker) {
    return isWarnEnabled();
  }

  @Override
  public boolean isErrorEnabled() {
    return Logging.enabled(LogLevel.ERROR);
  }

  @Override
  public boolean isErrorEnabled(Marker marker) {
    return isErrorEnabled();
  }

  @Override
  protected String getFullyQualifiedCallerName() {
    return null;
  }

  @Override
  protected void handleNormalizedLoggingCall(
      Level level, Marker marker, String pattern, Object[] args, Throwable t) {
    emit(level, pattern, args, t, List.of());
  }

  @Override
  public void log(LoggingEvent event) {
    List<KeyValuePair> kvs = event.getKeyValuePairs();
    emit(
        event.getLevel(),
        event.getMessage(),
        event.getArgumentArray(),
        event.getThrowable(),
        kvs == null ? List.of() : kvs);
  }

  private void emit(
      Level level, String pattern, Object[] args, Throwable t, List<KeyValuePair> kvs) {
    var formatted = MessageFormatter.arrayFormat(pattern, args, t);
    List<LogEntry.Field> fields = new ArrayList<>(kvs.size() + 1);
    for (KeyValuePair kv : kvs) {
      fields.add(new LogEntry.Field(kv.key, String.valueOf(kv.value)));
    }
    // SLF4J's formatter drops the throwable of a pattern without arguments; keep it.
    Throwable thrown = formatted.getThrowable() != null ? formatted.getThrowable() : t;
    List<String> stack = List.of();
    if (thrown != null) {
      fields.add(new LogEntry.Field("err", causeChain(thrown)));
      stack = stackTrace(thrown);
    }
    Logging.dispatch(
        new LogEntry(
            Logging.clock().instant(),
            LogLevel.of(level),
            MDC.get(LogContext.JOB),
            MDC.get(LogContext.SUBSYSTEM),
            String.valueOf(formatted.getMessage()),
            fields,
            stack));
  }

  /**
   * {@code t} and its causes, {@code toString()} each, joined by {@code ": caused by: "}; a cause
   * whose text the chain already holds (a wrapper made with {@code new X(cause)}) is not repeated.
   */
  static String causeChain(Throwable t) {
    StringBuilder b = new StringBuilder(t.toString());
    java.util.Set<Throwable> seen =
        java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    seen.add(t);
    for (Throwable c = t.getCause(); c != null && seen.add(c); c = c.getCause()) {
      String text = c.toString();
      if (b.indexOf(text) < 0) {
        b.append(": caused by: ").append(text);
      }
    }
    return b.toString();
  }

  /**
   * {@code t.printStackTrace()}'s lines, each leading tab as two spaces (a tab would be escaped);
   * the formats escape and bound them.
   */
  static List<String> stackTrace(Throwable t) {
    java.io.StringWriter w = new java.io.StringWriter();
    try (java.io.PrintWriter p = new java.io.PrintWriter(w)) {
      t.printStackTrace(p);
    }
    return w.toString()
        .lines()
        .map(
            l -> {
              int tabs = 0;
              while (tabs < l.length() && l.charAt(tabs) == '\t') {
                tabs++;
              }
              return "  ".repeat(tabs) + l.substring(tabs);
            })
        .toList();
  }
}
