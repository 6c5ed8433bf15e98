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
    assertThat(human)
        .containsExactly(
            "2026-11-25T10:00:00Z [INFO][prod][snapshot]: took three snapshots count=3",
            "2026-11-25T10:00:00Z [WARN][prod][snapshot]: cannot prune pool/a"
                + " err=\"java.lang.IllegalStateException: busy\"",
            "2026-11-25T10:00:00Z [INFO]: outside");
    assertThat(json)
        .containsExactly(
            "{\"level\":\"warn\",\"job\":\"prod\",\"subsystem\":\"snapshot\","
                + "\"msg\":\"cannot prune pool/a\",\"err\":\"java.lang.IllegalStateException: busy\"}");
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
