package org.zrepl.app.logging;

import java.time.ZoneId;
import java.util.Objects;

/**
 * Where entries of at least {@code level} go, formatted by {@code format}, one line each, into
 * {@code sink}. A sink that cannot deliver a line throws; {@link Logging} counts the line as
 * dropped for {@code name} and reports the failure (see {@link Logging#dropped()}).
 *
 * @param name the outlet as the metrics and failure reports name it: {@code stdout}, {@code
 *     syslog}, {@code tcp:ADDRESS} or {@code udp:ADDRESS}
 * @param color whether {@code human} lines are coloured (stdout on a terminal, with {@code color})
 */
public record LogOutlet(
    String name,
    LogLevel level,
    LogFormat format,
    boolean time,
    boolean color,
    ZoneId zone,
    LogSink sink) {

  public LogOutlet {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(sink, "sink");
  }

  /** An uncoloured outlet named after its format (tests). */
  public LogOutlet(LogLevel level, LogFormat format, boolean time, ZoneId zone, LogSink sink) {
    this(format.name().toLowerCase(java.util.Locale.ROOT), level, format, time, false, zone, sink);
  }

  boolean takes(LogEntry e) {
    return e.level().passes(level);
  }

  /** Writes {@code e} if its level passes; throws what the sink throws. */
  void write(LogEntry e) {
    if (!takes(e)) {
      return;
    }
    sink.write(e.level(), format.format(e, time, zone, color));
  }
}
