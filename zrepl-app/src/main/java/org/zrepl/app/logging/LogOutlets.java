package org.zrepl.app.logging;

import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.zrepl.app.config.LoggingOutlet;
import org.zrepl.transport.log.SyslogSink;
import org.zrepl.transport.log.TcpLineSink;
import org.zrepl.transport.tls.TlsFiles;

/** Builds the outlets of {@code global.logging}. */
public final class LogOutlets {

  private LogOutlets() {}

  /**
   * The outlets for {@code config}; {@code stdout} receives the lines of stdout outlets (the CLI
   * passes standard output). A tcp outlet's TLS files are read here: a bad file fails at start,
   * naming it.
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
        TcpLineSink sink = tcpSink(t, clock);
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

  private static TcpLineSink tcpSink(LoggingOutlet.Tcp t, Clock clock) {
    if (t.tls().isEmpty()) {
      return new TcpLineSink(t.address(), t.retryInterval(), clock);
    }
    LoggingOutlet.TlsFiles f = t.tls().get();
    try {
      return TcpLineSink.tls(
          t.address(), TlsFiles.load(f.ca(), f.cert(), f.key(), clock), t.retryInterval(), clock);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "logging outlet tcp " + t.address() + ": " + e.getMessage(), e);
    }
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
