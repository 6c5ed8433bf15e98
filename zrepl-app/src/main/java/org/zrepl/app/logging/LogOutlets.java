package org.zrepl.app.logging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.zrepl.app.config.LoggingOutlet;
import org.zrepl.port.transport.LogSinks;

/** Builds the outlets of {@code global.logging}. */
public final class LogOutlets {

  private LogOutlets() {}

  /**
   * The outlets for {@code config}; {@code stdout} receives the lines of stdout outlets (the CLI
   * passes standard output). A tcp outlet's TLS files are read here: a bad file fails at start,
   * naming it. A stdout outlet with {@code color} colours its {@code human} lines when standard
   * output is a terminal ({@link Logging#useConsole}), and {@code time: false} leaves the time out
   * only when it is not one, as zrepl does. A tcp outlet with {@code net: udp}, {@code udp4} or
   * {@code udp6} sends one datagram per line.
   */
  public static List<LogOutlet> of(
      List<LoggingOutlet> config, Consumer<String> stdout, LogSinks sinks, ZoneId zone) {
    List<LogOutlet> out = new ArrayList<>();
    for (LoggingOutlet o : config) {
      LogLevel level = LogLevel.valueOf(o.level().name());
      LogFormat format = LogFormat.valueOf(o.format().name());
      if (o instanceof LoggingOutlet.Stdout s) {
        // As zrepl: time: false takes effect only off a terminal, color only on one.
        boolean terminal = Logging.stdoutIsTerminal();
        boolean color = s.color() && format == LogFormat.HUMAN && terminal;
        out.add(
            new LogOutlet(
                "stdout",
                level,
                format,
                s.time() || terminal,
                color,
                zone,
                (l, line) -> stdout.accept(line)));
      } else if (o instanceof LoggingOutlet.Tcp t && t.net().startsWith("udp")) {
        if (t.tls().isPresent()) {
          throw new IllegalArgumentException(
              "logging outlet " + t.net() + ":" + t.address() + ": tls needs net tcp");
        }
        LogSinks.LineSink sink = sinks.udp(t.net(), t.address(), t.retryInterval());
        out.add(
            new LogOutlet(
                t.net() + ":" + t.address(),
                level,
                format,
                true,
                false,
                zone,
                (l, line) -> deliver(() -> sink.send(line))));
      } else if (o instanceof LoggingOutlet.Tcp t) {
        LogSinks.LineSink sink = tcpSink(t, sinks);
        out.add(
            new LogOutlet(
                t.net() + ":" + t.address(),
                level,
                format,
                true,
                false,
                zone,
                (l, line) -> deliver(() -> sink.send(line))));
      } else if (o instanceof LoggingOutlet.Syslog s) {
        LogSinks.SyslogLineSink sink = sinks.syslog(s.facility(), "zrepl");
        // syslog stamps entries itself
        out.add(
            new LogOutlet(
                "syslog",
                level,
                format,
                false,
                false,
                zone,
                (l, line) -> deliver(() -> sink.send(severity(l), line))));
      }
    }
    return out;
  }

  /** A send that may fail with an I/O error. */
  @FunctionalInterface
  private interface Send {
    void run() throws IOException;
  }

  /** Runs {@code send}; its I/O error becomes the unchecked failure {@link Logging} counts. */
  private static void deliver(Send send) {
    try {
      send.run();
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
  }

  private static LogSinks.LineSink tcpSink(LoggingOutlet.Tcp t, LogSinks sinks) {
    if (t.tls().isEmpty()) {
      return sinks.tcp(t.net(), t.address(), t.retryInterval());
    }
    LoggingOutlet.TlsFiles f = t.tls().get();
    try {
      return sinks.tls(t.net(), t.address(), f.ca(), f.cert(), f.key(), t.retryInterval());
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
