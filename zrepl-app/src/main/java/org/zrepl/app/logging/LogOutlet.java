package org.zrepl.app.logging;

import java.time.ZoneId;
import java.util.Objects;

/**
 * Where entries of at least {@code level} go, formatted by {@code format}, one line each, into
 * {@code sink}. A sink must not throw; network sinks drop lines while their peer is away.
 */
public record LogOutlet(LogLevel level, LogFormat format, boolean time, ZoneId zone, LogSink sink) {

  public LogOutlet {
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(sink, "sink");
  }

  void write(LogEntry e) {
    if (e.level().passes(level)) {
      sink.write(e.level(), format.format(e, time, zone));
    }
  }
}
