package org.zrepl.domain.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

  @ParameterizedTest
  @CsvSource({
    "30s, PT30S",
    "10m, PT10M",
    "1h, PT1H",
    "2d, PT48H",
    "1w, PT168H",
    "' 15 m ', PT15M",
    "+5s, PT5S",
    "-5m, PT-5M",
    "0, PT0S",
    "+0, PT0S",
    "0s, PT0S",
    "0w, PT0S",
    "007h, PT7H",
  })
  void parsesZreplGrammar(String text, String expected) {
    assertThat(Durations.parse(text)).isEqualTo(Duration.parse(expected));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "", " ", "10", "1h30m", "1.5h", "10x", "h", "10 mm", "10ms", "1y", "1M", "1H", "--1s"
      })
  void rejectsOtherInputQuotingIt(String text) {
    assertThatThrownBy(() -> Durations.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid duration '" + text + "': ");
  }

  @Test
  void aMissingUnitIsNamed() {
    assertThatThrownBy(() -> Durations.parse("10"))
        .hasMessage("invalid duration '10': missing time unit (one of s, m, h, d, w)");
  }

  @Test
  void rejectsValuesBeyondGosDurationRange() {
    assertThat(Durations.parse("15250w")).isEqualTo(Duration.ofDays(15250L * 7));
    assertThatThrownBy(() -> Durations.parse("15251w"))
        .hasMessage("invalid duration '15251w': out of range (more than about 292 years)");
    assertThatThrownBy(() -> Durations.parse("99999999999999999999999s"))
        .hasMessageContaining("out of range");
  }

  @Test
  void parsePositiveRejectsZeroAndNegative() {
    assertThat(Durations.parsePositive("1s")).isEqualTo(Duration.ofSeconds(1));
    assertThatThrownBy(() -> Durations.parsePositive("0"))
        .hasMessage("invalid duration '0': duration must be positive");
    assertThatThrownBy(() -> Durations.parsePositive("-1h"))
        .hasMessage("invalid duration '-1h': duration must be positive");
  }

  @ParameterizedTest
  @CsvSource({
    "300ms, PT0.3S",
    "1.5h, PT1H30M",
    "2h45m, PT2H45M",
    "-1.5h, PT-1H-30M",
    "+10s, PT10S",
    "0, PT0S",
    "-0, PT0S",
    "1us, PT0.000001S",
    "1µs, PT0.000001S",
    "1ns, PT0.000000001S",
    ".5s, PT0.5S",
    "1.s, PT1S",
    "1h1m1s1ms1us1ns, PT1H1M1.001001001S",
  })
  void parsesGoGrammar(String text, String expected) {
    assertThat(Durations.parseGo(text)).isEqualTo(Duration.parse(expected));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "-", "1", "1d", "s", ".s", "1.5", "1h 30m", "10x", "3000000h"})
  void goGrammarRejectsOtherInputQuotingIt(String text) {
    assertThatThrownBy(() -> Durations.parseGo(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid duration '" + text + "': ");
  }

  @ParameterizedTest
  @CsvSource({
    "PT0S, 0s",
    "PT30S, 30s",
    "PT90M, 90m",
    "PT1H, 1h",
    "PT48H, 2d",
    "PT336H, 2w",
    "PT-5M, -5m",
    "PT1.5S, 1500ms",
    "PT0.000000001S, 1ns",
  })
  void formatsWithTheLargestExactUnit(String duration, String expected) {
    assertThat(Durations.format(Duration.parse(duration))).isEqualTo(expected);
  }

  @Property(tries = 1000)
  void formatOfWholeSecondsRoundTripsThroughZreplGrammar(
      @ForAll @LongRange(min = -9_000_000_000L, max = 9_000_000_000L) long seconds) {
    Duration d = Duration.ofSeconds(seconds);
    assertThat(Durations.parse(Durations.format(d))).isEqualTo(d);
  }

  @Property(tries = 1000)
  void formatOfSubSecondValuesRoundTripsThroughGoGrammar(@ForAll long nanos) {
    Duration d = Duration.ofNanos(nanos);
    String printed = Durations.format(d);
    Duration back = d.toNanosPart() == 0 ? Durations.parse(printed) : Durations.parseGo(printed);
    assertThat(back).isEqualTo(d);
  }
}
