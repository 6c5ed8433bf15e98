package org.zrepl.app.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.zrepl.app.config.LoggingOutlet;
import org.zrepl.app.config.LoggingOutlet.Format;
import org.zrepl.app.config.LoggingOutlet.Level;

class LogOutletsTest {

  private final Clock clock = Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC);
  private final LogEntry warn =
      new LogEntry(clock.instant(), LogLevel.WARN, "j", "s", "careful", List.of());
  private final LogEntry debug =
      new LogEntry(clock.instant(), LogLevel.DEBUG, "j", "s", "details", List.of());

  @Test
  void stdoutOutletsKeepTheirLevelFormatAndTimeSetting() {
    List<String> lines = new ArrayList<>();
    List<LogOutlet> outlets =
        LogOutlets.of(
            List.of(
                new LoggingOutlet.Stdout(Level.WARN, Format.HUMAN, true, true),
                new LoggingOutlet.Stdout(Level.DEBUG, Format.LOGFMT, false, false)),
            lines::add,
            org.zrepl.app.TestAdapters.logSinks(clock),
            ZoneOffset.UTC);
    outlets.forEach(o -> o.write(warn));
    outlets.forEach(o -> o.write(debug));
    assertThat(lines)
        .containsExactly(
            "2026-11-25T10:00:00Z [WARN][j][s]: careful",
            "level=warn job=j subsystem=s msg=careful",
            "level=debug job=j subsystem=s msg=details");
  }

  @Test
  void tlsFilesOfATcpOutletAreReadAtOnceAndAnErrorNamesTheOutletAndFile() {
    assertThatThrownBy(
            () ->
                LogOutlets.of(
                    List.of(
                        new LoggingOutlet.Tcp(
                            Level.INFO,
                            Format.JSON,
                            "logs.example:5140",
                            "tcp",
                            Duration.ofSeconds(10),
                            Optional.of(
                                new LoggingOutlet.TlsFiles("/nonexistent/ca.crt", "cert", "key")))),
                    l -> {},
                    org.zrepl.app.TestAdapters.logSinks(clock),
                    ZoneOffset.UTC))
        .hasMessage(
            "logging outlet tcp logs.example:5140: ca file /nonexistent/ca.crt: no such file");
  }

  @Test
  void colorOnlyOnATerminalOnlyForHumanAndOnlyWhenConfiguredAndTimeAlwaysOnATerminal() {
    List<String> lines = new ArrayList<>();
    List<LoggingOutlet> config =
        List.of(new LoggingOutlet.Stdout(Level.WARN, Format.HUMAN, false, true));
    try {
      Logging.useConsole(true, l -> {});
      LogOutlets.of(config, lines::add, org.zrepl.app.TestAdapters.logSinks(clock), ZoneOffset.UTC)
          .forEach(o -> o.write(warn));
      LogOutlets.of(
              List.of(new LoggingOutlet.Stdout(Level.WARN, Format.HUMAN, false, false)),
              lines::add,
              org.zrepl.app.TestAdapters.logSinks(clock),
              ZoneOffset.UTC)
          .forEach(o -> o.write(warn));
      LogOutlets.of(
              List.of(new LoggingOutlet.Stdout(Level.WARN, Format.LOGFMT, false, true)),
              lines::add,
              org.zrepl.app.TestAdapters.logSinks(clock),
              ZoneOffset.UTC)
          .forEach(o -> o.write(warn));
      Logging.useConsole(false, l -> {});
      LogOutlets.of(config, lines::add, org.zrepl.app.TestAdapters.logSinks(clock), ZoneOffset.UTC)
          .forEach(o -> o.write(warn));
    } finally {
      Logging.useConsole(false, l -> {});
    }
    assertThat(lines)
        .containsExactly(
            "2026-11-25T10:00:00Z [\u001b[33mWARN\u001b[0m][\u001b[33mj\u001b[0m]"
                + "[\u001b[33ms\u001b[0m]: careful",
            "2026-11-25T10:00:00Z [WARN][j][s]: careful",
            "time=2026-11-25T10:00:00Z level=warn job=j subsystem=s msg=careful",
            "[WARN][j][s]: careful");
  }

  @Test
  void outletsAreNamedForTheMetric() {
    List<LogOutlet> outlets =
        LogOutlets.of(
            List.of(
                new LoggingOutlet.Stdout(Level.WARN, Format.HUMAN, true, true),
                new LoggingOutlet.Tcp(
                    Level.INFO,
                    Format.JSON,
                    "127.0.0.1:5140",
                    "tcp4",
                    Duration.ofSeconds(10),
                    Optional.empty()),
                new LoggingOutlet.Tcp(
                    Level.INFO,
                    Format.JSON,
                    "[::1]:5140",
                    "udp6",
                    Duration.ofSeconds(10),
                    Optional.empty())),
            l -> {},
            org.zrepl.app.TestAdapters.logSinks(clock),
            ZoneOffset.UTC);
    assertThat(outlets)
        .extracting(LogOutlet::name)
        .containsExactly("stdout", "tcp4:127.0.0.1:5140", "udp6:[::1]:5140");
  }

  @Test
  void syslogSeverities() {
    assertThat(LogOutlets.severity(LogLevel.ERROR)).isEqualTo(3);
    assertThat(LogOutlets.severity(LogLevel.WARN)).isEqualTo(4);
    assertThat(LogOutlets.severity(LogLevel.INFO)).isEqualTo(6);
    assertThat(LogOutlets.severity(LogLevel.DEBUG)).isEqualTo(7);
  }
}
