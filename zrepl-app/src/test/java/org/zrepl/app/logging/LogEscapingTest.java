package org.zrepl.app.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Nothing logged can forge a line: control characters, line separators and terminal escapes in any
 * value (message, job, subsystem, field value, error text) are escaped in all three formats, and
 * long values are cut with a marker so that a line stays bounded.
 */
class LogEscapingTest {

  private static final Instant T = Instant.parse("2026-11-25T10:00:00Z");

  /** What a hostile value may carry, with how each format must write it. */
  private static final Map<String, String> HOSTILE =
      Map.of(
          "\n", "\\n",
          "\r", "\\r",
          "\u001b", "\\u001b",
          "\u0000", "\\u0000",
          "\u2028", "\\u2028",
          "\u2029", "\\u2029",
          "\u0085", "\\u0085",
          "\u202e", "\\u202e",
          "\u007f", "\\u007f");

  private static final String FORGED = "2026-11-25T10:00:00Z [ERROR][sink][daemon]: FORGED";

  /** Characters that must never appear raw in a formatted line. */
  private static boolean breaksLines(char c) {
    return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029';
  }

  private static void assertOneSafeLine(String line) {
    for (int i = 0; i < line.length(); i++) {
      assertThat(breaksLines(line.charAt(i)))
          .as("raw U+%04X at %d in %s", (int) line.charAt(i), i, line)
          .isFalse();
    }
  }

  @ParameterizedTest
  @EnumSource(LogFormat.class)
  void everyHostileCharacterIsEscapedInEveryValue(LogFormat format) {
    HOSTILE.forEach(
        (raw, escaped) -> {
          String v = "a" + raw + FORGED;
          LogEntry e =
              new LogEntry(
                  T,
                  LogLevel.ERROR,
                  "job" + raw,
                  "sub" + raw,
                  "call " + v,
                  List.of(new LogEntry.Field("name", v), new LogEntry.Field("k" + raw, v)));
          String line = format.format(e);
          assertOneSafeLine(line);
          assertThat(line).contains("a" + escaped + FORGED);
          assertThat(line).contains("job" + escaped).contains("sub" + escaped);
        });
  }

  @Test
  void humanWritesTheInjectedNewlineVisiblyOnTheSameLine() {
    LogEntry e =
        new LogEntry(
            T, LogLevel.INFO, "sink", "rpc", "unknown call x\n" + FORGED + "\u001b[2J", List.of());
    assertThat(LogFormat.HUMAN.format(e))
        .isEqualTo(
            "2026-11-25T10:00:00Z [INFO][sink][rpc]: unknown call x\\n" + FORGED + "\\u001b[2J");
  }

  @Test
  void logfmtQuotesAndEscapes() {
    LogEntry e =
        new LogEntry(
            T, LogLevel.INFO, "", "", "m", List.of(new LogEntry.Field("call", "x\r\ny\u2028z")));
    assertThat(LogFormat.LOGFMT.format(e))
        .isEqualTo("time=2026-11-25T10:00:00Z level=info msg=m call=\"x\\r\\ny\\u2028z\"");
  }

  @Test
  void jsonEscapesLineSeparatorsAndNul() {
    LogEntry e = new LogEntry(T, LogLevel.INFO, "", "", "a\u2029b\u0000c", List.of());
    assertThat(LogFormat.JSON.format(e, false, ZoneOffset.UTC))
        .isEqualTo("{\"level\":\"info\",\"msg\":\"a\\u2029b\\u0000c\"}");
  }

  @Test
  void unicodeThatIsNotAControlCharacterIsKept() {
    LogEntry e = new LogEntry(T, LogLevel.INFO, "", "", "pool/été/データ/😀", List.of());
    assertThat(LogFormat.HUMAN.format(e, false, ZoneOffset.UTC))
        .isEqualTo("[INFO]: pool/été/データ/😀");
    assertThat(LogFormat.JSON.format(e, false, ZoneOffset.UTC))
        .isEqualTo("{\"level\":\"info\",\"msg\":\"pool/été/データ/😀\"}");
  }

  @ParameterizedTest
  @EnumSource(LogFormat.class)
  void aOneMebibyteValueIsCutWithAMarker(LogFormat format) {
    String huge = "x".repeat(1 << 20);
    LogEntry e =
        new LogEntry(
            T,
            LogLevel.WARN,
            "sink",
            "rpc",
            "unknown call " + huge,
            List.of(new LogEntry.Field("call", huge)));
    String line = format.format(e);
    assertThat(line.length()).isLessThan(2 * LogText.VALUE_MAX + 300);
    assertThat(line).contains("...[cut " + ((1 << 20) + 13 - LogText.VALUE_MAX) + " chars]");
    assertThat(line).contains("...[cut " + ((1 << 20) - LogText.VALUE_MAX) + " chars]");
    assertOneSafeLine(line);
  }

  @ParameterizedTest
  @EnumSource(LogFormat.class)
  void manyLongValuesShareTheLineBound(LogFormat format) {
    List<LogEntry.Field> fields =
        java.util.stream.IntStream.range(0, 20)
            .mapToObj(i -> new LogEntry.Field("f" + i, "\n".repeat(100_000)))
            .toList();
    String line = format.format(new LogEntry(T, LogLevel.WARN, "j", "s", "m", fields));
    assertThat(line.length()).isLessThan(LogText.LINE_MAX + 23 * 40);
    assertOneSafeLine(line);
    if (format == LogFormat.JSON) {
      assertThat(line).startsWith("{").endsWith("}");
    }
  }

  @Test
  void aCutNeverSplitsAnEscapeOrASurrogatePair() {
    String s = "\n".repeat(LogText.VALUE_MAX); // each becomes two characters
    String cut = LogText.clean(s, LogText.VALUE_MAX);
    assertThat(cut).startsWith("\\n".repeat(LogText.VALUE_MAX / 2)).endsWith("...[cut 2048 chars]");
    assertThat(LogText.clean("\ud800x", 100)).isEqualTo("\\ud800x");
    assertThat(LogText.clean("x\udc00", 100)).isEqualTo("x\\udc00");
  }
}
