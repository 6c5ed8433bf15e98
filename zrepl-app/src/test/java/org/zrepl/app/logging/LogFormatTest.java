package org.zrepl.app.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogFormatTest {

  private static final Instant T = Instant.parse("2026-11-25T10:00:00.123Z");

  private static LogEntry entry(String job, String subsystem, String msg, String... kv) {
    List<LogEntry.Field> fields = new java.util.ArrayList<>();
    for (int i = 0; i < kv.length; i += 2) {
      fields.add(new LogEntry.Field(kv[i], kv[i + 1]));
    }
    return new LogEntry(T, LogLevel.INFO, job, subsystem, msg, fields);
  }

  @Test
  void human() {
    assertThat(LogFormat.HUMAN.format(entry("prod", "snapshot", "took snapshots", "count", "3")))
        .isEqualTo("2026-11-25T10:00:00Z [INFO][prod][snapshot]: took snapshots count=3");
  }

  @Test
  void humanWithoutTimeOrContextAndQuotedValue() {
    assertThat(
            LogFormat.HUMAN.format(
                entry("", "", "daemon started", "config", "/etc/zrepl/my conf.yml"),
                false,
                ZoneOffset.UTC))
        .isEqualTo("[INFO]: daemon started config=\"/etc/zrepl/my conf.yml\"");
  }

  @Test
  void humanInAnotherZone() {
    assertThat(LogFormat.HUMAN.format(entry("j", "s", "m"), true, ZoneId.of("Europe/Berlin")))
        .isEqualTo("2026-11-25T11:00:00+01:00 [INFO][j][s]: m");
  }

  @Test
  void logfmt() {
    assertThat(
            LogFormat.LOGFMT.format(
                entry("prod", "snapshot", "took snapshots", "count", "3", "fs", "a=b", "e", "")))
        .isEqualTo(
            "time=2026-11-25T10:00:00Z level=info job=prod subsystem=snapshot"
                + " msg=\"took snapshots\" count=3 fs=\"a=b\" e=\"\"");
  }

  @Test
  void json() {
    assertThat(
            LogFormat.JSON.format(
                entry("prod", "snapshot", "say \"hi\"\n", "count", "3", "path", "a\\b")))
        .isEqualTo(
            "{\"time\":\"2026-11-25T10:00:00Z\",\"level\":\"info\",\"job\":\"prod\","
                + "\"subsystem\":\"snapshot\",\"msg\":\"say \\\"hi\\\"\\n\",\"count\":\"3\","
                + "\"path\":\"a\\\\b\"}");
  }

  @Test
  void jsonEscapesControlCharacters() {
    assertThat(LogFormat.JSON.format(entry("", "", "a\u0001b"), false, ZoneOffset.UTC))
        .isEqualTo("{\"level\":\"info\",\"msg\":\"a\\u0001b\"}");
  }
}
