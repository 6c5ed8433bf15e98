package org.zrepl.domain.prune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.zrepl.domain.prune.RetentionGrid.Interval;

class RetentionGridTest {

  private static final int ALL = Interval.KEEP_ALL;

  @Test
  void parsesTheDocumentationExample() {
    RetentionGrid grid = RetentionGrid.parse("1x1h(keep=all) | 24x1h | 14x1d");
    assertThat(grid.intervals())
        .containsExactly(
            new Interval(1, Duration.ofHours(1), ALL),
            new Interval(24, Duration.ofHours(1), 1),
            new Interval(14, Duration.ofDays(1), 1));
    assertThat(grid.bucketCount()).isEqualTo(39);
    assertThat(grid.totalLength()).isEqualTo(Duration.ofHours(25).plusDays(14));
  }

  @Test
  void toleratesWhitespaceAndExplicitKeepCounts() {
    RetentionGrid grid = RetentionGrid.parse("  2 x 30m ( keep=3 )|1x1w(keep=all)");
    assertThat(grid.intervals())
        .containsExactly(
            new Interval(2, Duration.ofMinutes(30), 3), new Interval(1, Duration.ofDays(7), ALL));
  }

  @Test
  void printsBackInZreplNotation() {
    String spec = "1x1h(keep=all) | 24x1h | 35x1d | 6x30d(keep=2)";
    assertThat(RetentionGrid.parse(spec)).hasToString(spec);
    assertThat(RetentionGrid.parse(RetentionGrid.parse(spec).toString()))
        .isEqualTo(RetentionGrid.parse(spec));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = ';',
      value = {
        "1x1h | 24y1h; invalid grid interval '24y1h': expected <repeat>x<duration>",
        "0x1h; invalid grid interval '0x1h': repeat count must be positive, got 0",
        "1x0h; invalid grid interval '1x0h': invalid duration '0h': duration must be positive",
        "1x1y; invalid grid interval '1x1y': invalid duration '1y': expected an integer",
        "1x1h(keep=0); invalid grid interval '1x1h(keep=0)': keep count must be a positive integer"
            + " or 'all', got 0",
        "1x1h(keep=-1); invalid grid interval '1x1h(keep=-1)': keep count must be",
        "1x1h(keep=lots); invalid grid interval '1x1h(keep=lots)': keep count must be a positive"
            + " integer or 'all', got 'lots'",
        "1x1h(count=2); invalid grid interval '1x1h(count=2)': unknown interval parameter"
            + " 'count=2'",
        "1x1h |; invalid grid interval '': expected <repeat>x<duration>",
        "99999999999x1h; invalid grid interval '99999999999x1h': repeat count '99999999999' is"
            + " too large",
      })
  void rejectsMalformedIntervalsNamingThem(String spec, String messageStart) {
    assertThatThrownBy(() -> RetentionGrid.parse(spec))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(messageStart);
  }

  @Test
  void errorsSayWhichIntervalOfHowMany() {
    assertThatThrownBy(() -> RetentionGrid.parse("1x1h | 24y1h | 14x1d"))
        .hasMessage(
            "invalid grid interval '24y1h': expected <repeat>x<duration> with optional"
                + " (keep=<n>) or (keep=all), e.g. '24x1h' (interval 2 of 3 in"
                + " '1x1h | 24y1h | 14x1d')");
  }

  @Test
  void intervalLengthsMustNotDecrease() {
    assertThatThrownBy(() -> RetentionGrid.parse("1x1h | 1x30m"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "invalid grid interval '1x30m': interval length 30m is shorter than the preceding"
                + " 1h; retention grid interval lengths must be monotonically increasing"
                + " (a shorter interval may only follow keep=all intervals)");
    assertThatThrownBy(() -> RetentionGrid.parse("1x1h(keep=all) | 1x2h | 1x1h"))
        .hasMessageStartingWith("invalid grid interval '1x1h': interval length 1h");
  }

  @Test
  void aShorterIntervalMayFollowOnlyKeepAllIntervals() {
    // zrepl: "If all intervals before were keep=all, this is ok"
    assertThat(RetentionGrid.parse("1x1d(keep=all) | 2x1h(keep=all) | 24x10m").intervals())
        .hasSize(3);
    assertThat(RetentionGrid.parse("1x1h | 1x1h | 2x1h").intervals()).hasSize(3);
  }

  @Test
  void anEmptyGridIsRejected() {
    assertThatThrownBy(() -> new RetentionGrid(List.of()))
        .hasMessage("retention grid must specify at least one interval");
    assertThatThrownBy(() -> RetentionGrid.parse(""))
        .hasMessageStartingWith("invalid grid interval '': ");
  }

  @Test
  void intervalValidatesItsFields() {
    assertThatThrownBy(() -> new Interval(0, Duration.ofHours(1), 1))
        .hasMessage("repeat must be positive, got 0");
    assertThatThrownBy(() -> new Interval(1, Duration.ZERO, 1))
        .hasMessage("length must be positive, got 0s");
    assertThatThrownBy(() -> new Interval(1, Duration.ofHours(1), 0))
        .hasMessage("keep must be positive or 'all', got 0");
  }

  @Test
  void totalLengthSaturatesAtGosDurationLimit() {
    RetentionGrid grid = RetentionGrid.parse("2147483647x15250w");
    assertThat(grid.totalLength()).isEqualTo(Duration.ofNanos(Long.MAX_VALUE));
  }
}
