package org.zrepl.domain.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Go's layouts applied to its own reference time, Mon Jan 2 15:04:05 MST 2006 (UTC-7). */
class GoTimeLayoutTest {

  private static final ZonedDateTime REF =
      ZonedDateTime.of(2006, 1, 2, 15, 4, 5, 123_456_789, ZoneId.of("America/Denver"));

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        // Go's predefined layouts
        "2006-01-02T15:04:05Z07:00        | 2006-01-02T15:04:05-07:00",
        "Mon Jan _2 15:04:05 2006         | Mon Jan  2 15:04:05 2006",
        "Monday, 02-Jan-06 15:04:05 MST   | Monday, 02-Jan-06 15:04:05 MST",
        "02 Jan 06 15:04 -0700            | 02 Jan 06 15:04 -0700",
        "3:04PM                           | 3:04PM",
        "Jan _2 15:04:05.000000           | Jan  2 15:04:05.123456",
        "2006-01-02T15:04:05.999999999Z07:00 | 2006-01-02T15:04:05.123456789-07:00",
        // elements one by one
        "January Jan 1 01                 | January Jan 1 01",
        "Monday Mon 2 02 _2               | Monday Mon 2 02  2",
        "002 __2                          | 002   2",
        "15 03 3 04 4 05 5 PM pm          | 15 03 3 04 4 05 5 PM pm",
        "-07 -0700 -07:00 -070000 -07:00:00 | -07 -0700 -07:00 -070000 -07:00:00",
        "Z07 Z0700 Z07:00                 | -07 -0700 -07:00",
        ".0 .00 .000 ,000 .9 .999         | .1 .12 .123 ,123 .1 .123",
        // literals: a lowercase letter after Jan/Mon, digits after a fraction, '_2006'
        "Jant Monx                        | Jant Monx",
        ".0001                            | .0001",
        "_2006                            | _2006",
        "20060102_150405_000              | 20060102_150405_000",
      })
  void formatsTheReferenceTime(String layout, String expected) {
    assertThat(GoTimeLayout.compile(layout.strip()).format(REF)).isEqualTo(expected.strip());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "Z07:00 Z0700 Z07 Z070000 Z07:00:00 | Z Z Z Z Z",
        "-07:00 -0700 -07                  | +00:00 +0000 +00",
        "MST                               | UTC",
        "x.999 .000                        | x .000",
        "3PM 03pm                          | 12AM 12am",
      })
  void utcMidnight(String layout, String expected) {
    ZonedDateTime midnight = ZonedDateTime.of(2024, 5, 14, 0, 0, 0, 0, ZoneOffset.UTC);
    assertThat(GoTimeLayout.compile(layout.strip()).format(midnight)).isEqualTo(expected.strip());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "-07:00:00 | +05:30:00",
        "Z0700     | +0530",
        "-07       | +05",
        "MST       | +0530",
      })
  void positiveAndFractionalOffsets(String layout, String expected) {
    ZonedDateTime t = ZonedDateTime.of(2024, 5, 14, 0, 0, 0, 0, ZoneOffset.ofHoursMinutes(5, 30));
    assertThat(GoTimeLayout.compile(layout.strip()).format(t)).isEqualTo(expected.strip());
  }
}
