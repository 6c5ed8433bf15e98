package org.zrepl.app.logging;

/** Takes formatted lines; must not throw (a broken sink loses lines, never the daemon). */
@FunctionalInterface
public interface LogSink {
  void write(LogLevel level, String line);
}
