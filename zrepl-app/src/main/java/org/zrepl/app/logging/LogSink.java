package org.zrepl.app.logging;

/**
 * Takes formatted lines. A sink that cannot deliver a line (a peer away, a full socket buffer)
 * throws a {@link RuntimeException} saying why; the line is then counted as dropped and the daemon
 * carries on.
 */
@FunctionalInterface
public interface LogSink {
  void write(LogLevel level, String line);
}
