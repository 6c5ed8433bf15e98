package org.zrepl.app.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** SLF4J calls reach the outlets through our provider, with MDC context and key-value pairs. */
class LoggingTest {

  private final List<String> human = new ArrayList<>();
  private final List<String> json = new ArrayList<>();
  private final Logger log = LoggerFactory.getLogger(LoggingTest.class);

  @BeforeEach
  void install() {
    Logging.useClock(Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC));
    Logging.install(
        List.of(
            new LogOutlet(
                LogLevel.INFO, LogFormat.HUMAN, true, ZoneOffset.UTC, (l, s) -> human.add(s)),
            new LogOutlet(
                LogLevel.WARN, LogFormat.JSON, false, ZoneOffset.UTC, (l, s) -> json.add(s))));
  }

  @AfterEach
  void uninstall() {
    Logging.install(List.of());
    Logging.useConsole(false, line -> {});
    Logging.useClock(Clock.systemUTC());
  }

  @Test
  void entriesCarryContextAndFieldsAndRespectEachOutletsLevel() {
    try (LogContext c = LogContext.of("prod", "snapshot")) {
      log.atInfo().addKeyValue("count", 3).log("took {} snapshots", "three");
      log.warn("cannot prune {}", "pool/a", new IllegalStateException("busy"));
      log.debug("not shown");
    }
    log.info("outside");
    assertThat(human).hasSize(3);
    assertThat(human.get(0))
        .isEqualTo("2026-11-25T10:00:00Z [INFO][prod][snapshot]: took three snapshots count=3");
    assertThat(human.get(1))
        .startsWith(
            "2026-11-25T10:00:00Z [WARN][prod][snapshot]: cannot prune pool/a"
                + " err=\"java.lang.IllegalStateException: busy\"\n"
                + "\tjava.lang.IllegalStateException: busy\n"
                + "\t  at org.zrepl.app.logging.LoggingTest.");
    assertThat(human.get(2)).isEqualTo("2026-11-25T10:00:00Z [INFO]: outside");
    assertThat(json).hasSize(1);
    assertThat(json.get(0))
        .startsWith(
            "{\"level\":\"warn\",\"job\":\"prod\",\"subsystem\":\"snapshot\","
                + "\"msg\":\"cannot prune pool/a\",\"err\":\"java.lang.IllegalStateException: busy\","
                + "\"stack\":\"java.lang.IllegalStateException: busy\\n  at org.zrepl.app.logging.LoggingTest.")
        .endsWith("\"}")
        .doesNotContain("\n");
  }

  @Test
  void anErrorCarriesItsCauseChainAndStackTrace() {
    Exception root = new java.io.IOException("connection reset by peer");
    Exception mid = new IllegalStateException("receive of pool/a@s2 failed", root);
    Exception top = new RuntimeException("step 1/2 failed", mid);
    log.error("replication failed", top);

    String line = human.get(0);
    assertThat(line.lines().findFirst().orElseThrow())
        .isEqualTo(
            "2026-11-25T10:00:00Z [ERROR]: replication failed err=\"java.lang.RuntimeException:"
                + " step 1/2 failed: caused by: java.lang.IllegalStateException: receive of"
                + " pool/a@s2 failed: caused by: java.io.IOException: connection reset by peer\"");
    List<String> rest = line.lines().skip(1).toList();
    assertThat(rest).allMatch(l -> l.startsWith("\t"));
    assertThat(rest)
        .contains(
            "\tjava.lang.RuntimeException: step 1/2 failed",
            "\tCaused by: java.lang.IllegalStateException: receive of pool/a@s2 failed",
            "\tCaused by: java.io.IOException: connection reset by peer");
    assertThat(rest).anyMatch(l -> l.startsWith("\t  at org.zrepl.app.logging.LoggingTest."));
  }

  @Test
  void aWrapperThatRepeatsItsCauseIsNotRepeatedInTheChain() {
    java.io.IOException root = new java.io.IOException("disk full");
    assertThat(ZreplLogger.causeChain(new java.io.UncheckedIOException(root)))
        .isEqualTo("java.io.UncheckedIOException: java.io.IOException: disk full");
  }

  @Test
  void anExceptionMessageInTheStackTraceCannotForgeALine() {
    log.error("x", new IllegalStateException("bad\n2026-11-25T10:00:00Z [ERROR]: FORGED"));
    assertThat(human.get(0).lines())
        .noneMatch(l -> l.startsWith("2026-11-25T10:00:00Z [ERROR]: FORGED"))
        .allMatch(l -> l.startsWith("2026-11-25T10:00:00Z [ERROR]: x") || l.startsWith("\t"));
  }

  @Test
  void linesAnOutletCannotDeliverAreCountedAndReportedOncePerOutageOnStderrAndTheFirstOutlet() {
    List<String> stderr = new ArrayList<>();
    List<String> first = new ArrayList<>();
    boolean[] down = {true};
    Logging.useConsole(false, stderr::add);
    Logging.install(
        List.of(
            new LogOutlet(
                "stdout",
                LogLevel.INFO,
                LogFormat.HUMAN,
                false,
                false,
                ZoneOffset.UTC,
                (l, s) -> first.add(s)),
            new LogOutlet(
                "tcp:logs:5140",
                LogLevel.INFO,
                LogFormat.JSON,
                true,
                false,
                ZoneOffset.UTC,
                (l, s) -> {
                  if (down[0]) {
                    throw new java.io.UncheckedIOException(
                        new java.io.IOException("cannot connect to log server tcp:logs:5140"));
                  }
                })));
    long before = Logging.dropped().getOrDefault("tcp:logs:5140", 0L);

    log.info("one");
    log.info("two");
    log.info("three");
    down[0] = false;
    log.info("four");
    down[0] = true;
    log.info("five");

    assertThat(Logging.dropped().get("tcp:logs:5140")).isEqualTo(before + 4);
    assertThat(stderr)
        .containsExactly(
            "zrepl: logging outlet tcp:logs:5140 cannot deliver log lines; they are dropped until"
                + " it can again and counted in zrepl_logging_outlet_dropped_total:"
                + " java.io.IOException: cannot connect to log server tcp:logs:5140",
            "zrepl: logging outlet tcp:logs:5140 cannot deliver log lines; they are dropped until"
                + " it can again and counted in zrepl_logging_outlet_dropped_total:"
                + " java.io.IOException: cannot connect to log server tcp:logs:5140");
    String outletError =
        "[ERROR][logging]: outlet error outlet=tcp:logs:5140"
            + " err=\"java.io.IOException: cannot connect to log server tcp:logs:5140\"";
    assertThat(first)
        .containsExactly(
            "[INFO]: one",
            outletError,
            "[INFO]: two",
            "[INFO]: three",
            "[INFO]: four",
            "[INFO]: five",
            outletError);
  }

  @Test
  void countsEntriesPerJobAndLevel() {
    long before = Logging.counts().getOrDefault(new Logging.Key("countjob", LogLevel.ERROR), 0L);
    try (LogContext c = LogContext.of("countjob", null)) {
      log.error("one");
      log.error("two");
    }
    assertThat(Logging.counts().get(new Logging.Key("countjob", LogLevel.ERROR)))
        .isEqualTo(before + 2);
  }

  @Test
  void contextIsRestoredWhenClosed() {
    try (LogContext outer = LogContext.of("a", "x")) {
      try (LogContext inner = LogContext.of("b", "y")) {
        log.info("inner");
      }
      log.info("outer");
    }
    assertThat(human)
        .containsExactly(
            "2026-11-25T10:00:00Z [INFO][b][y]: inner", "2026-11-25T10:00:00Z [INFO][a][x]: outer");
  }
}
