package org.zrepl.app.logging;

import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.zrepl.app.config.LoggingOutlet;
import org.zrepl.transport.log.SyslogSink;
import org.zrepl.transport.log.TcpLineSink;

/** Builds the outlets of {@code global.logging}. */
public final class LogOutlets {

  private LogOutlets() {}

  /**
   * The outlets for {@code config}; {@code stdout} receives the lines of stdout outlets (the CLI
   * passes standard output). TLS for tcp outlets is not supported yet and is refused.
   */
  public static List<LogOutlet> of(
      List<LoggingOutlet> config, Consumer<String> stdout, Clock clock, ZoneId zone) {
    List<LogOutlet> out = new ArrayList<>();
    for (LoggingOutlet o : config) {
      LogLevel level = LogLevel.valueOf(o.level().name());
      LogFormat format = LogFormat.valueOf(o.format().name());
      if (o instanceof LoggingOutlet.Stdout s) {
        out.add(new LogOutlet(level, format, s.time(), zone, (l, line) -> stdout.accept(line)));
      } else if (o instanceof LoggingOutlet.Tcp t) {
        if (t.tls().isPresent()) {
          throw new IllegalArgumentException(
              "logging outlet tcp " + t.address() + ": tls is not supported yet");
        }
        TcpLineSink sink = new TcpLineSink(t.address(), t.retryInterval(), clock);
        out.add(new LogOutlet(level, format, true, zone, (l, line) -> sink.accept(line)));
      } else if (o instanceof LoggingOutlet.Syslog s) {
        SyslogSink sink = new SyslogSink(SyslogSink.facility(s.facility()), "zrepl");
        // syslog stamps entries itself
        out.add(
            new LogOutlet(level, format, false, zone, (l, line) -> sink.send(severity(l), line)));
      }
    }
    return out;
  }

  /** RFC 5424 severities. */
  static int severity(LogLevel l) {
    return switch (l) {
      case ERROR -> 3;
      case WARN -> 4;
      case INFO -> 6;
      case DEBUG -> 7;
    };
  }
}
