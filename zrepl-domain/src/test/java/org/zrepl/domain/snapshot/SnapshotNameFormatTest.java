package org.zrepl.domain.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SnapshotNameFormatTest {

  private static final ZoneId UTC = ZoneOffset.UTC;
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  /** The example name from zrepl's hook documentation: zrepl_20380119_031407_000. */
  private static final Instant Y2038 = Instant.parse("2038-01-19T03:14:07Z");

  /** zrepl's timestamp tests use 2024-05-14 21:16:23 UTC. */
  private static final Instant MAY = Instant.parse("2024-05-14T21:16:23.456Z");

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "dense        | UTC              | 2038-01-19T03:14:07Z     | zrepl_20380119_031407_000",
        "DENSE        | UTC              | 2038-01-19T03:14:07Z     | zrepl_20380119_031407_000",
        "human        | UTC              | 2038-01-19T03:14:07Z     | zrepl_2038-01-19_03:14:07",
        "iso-8601     | UTC              | 2038-01-19T03:14:07Z     | zrepl_2038-01-19T03:14:07.000Z",
        "iso-8601     | UTC              | 2024-05-14T21:16:23.456Z | zrepl_2024-05-14T21:16:23.456Z",
        "iso-8601     | Europe/Berlin    | 2024-05-14T21:16:23Z     | zrepl_2024-05-14T23:16:23.000_0200",
        "iso-8601     | America/New_York | 2024-05-14T21:16:23Z     | zrepl_2024-05-14T17:16:23.000-0400",
        "unix-seconds | UTC              | 2006-01-02T22:04:05Z     | zrepl_1136239445",
        "2006-01-02_15:04:05-07:00:00 | Europe/Berlin | 2024-05-14T21:16:23Z | zrepl_2024-05-14_23:16:23_02:00:00",
        "20060102.1504 | Etc/UTC         | 2038-01-19T03:14:07Z     | zrepl_20380119.0314",
      })
  void formatsLikeZrepl(String format, String zone, String at, String expected) {
    SnapshotNameFormat f = new SnapshotNameFormat("zrepl_", format, ZoneId.of(zone));
    assertThat(f.name(Instant.parse(at))).isEqualTo(expected);
  }

  @Test
  void denseInUtcIsTheDefault() {
    assertThat(SnapshotNameFormat.dense("zrepl_").name(Y2038))
        .isEqualTo("zrepl_20380119_031407_000");
    assertThat(SnapshotNameFormat.dense("zrepl_").hasPrefix("zrepl_20380119_031407_000")).isTrue();
    assertThat(SnapshotNameFormat.dense("zrepl_").hasPrefix("manual_1")).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"dense", "human", "unix-seconds", "Human"})
  void builtinFormatsWithoutZoneRequireUtc(String format) {
    assertThatThrownBy(() -> new SnapshotNameFormat("zrepl_", format, BERLIN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "timestamp_format '"
                + format
                + "' requires timestamp_location UTC, got 'Europe/Berlin'");
    assertThat(new SnapshotNameFormat("zrepl_", format, ZoneId.of("UTC")).name(MAY))
        .startsWith("zrepl_");
  }

  @Test
  void iso8601AllowsAnyZoneBecauseItPrintsTheOffset() {
    assertThat(new SnapshotNameFormat("zrepl_", "iso-8601", BERLIN).name(MAY))
        .isEqualTo("zrepl_2024-05-14T23:16:23.456_0200");
  }

  @Test
  void aPlusInACustomFormatIsRejected() {
    assertThatThrownBy(() -> new SnapshotNameFormat("zrepl_", "2006+01", UTC))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "timestamp_format '2006+01' contains '+', which is not allowed in ZFS snapshot"
                + " names");
  }

  @Test
  void invalidNamesAreRejectedNamingTheCharacter() {
    assertThatThrownBy(() -> new SnapshotNameFormat("zrepl@", "dense", UTC))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "prefix 'zrepl@' and timestamp_format 'dense' would give an invalid snapshot name:"
                + " snapshot name 'zrepl@20200601_000000_000' contains invalid character '@' at"
                + " index 5 (allowed: letters, digits, '_', '-', ':', '.', ' ')");
    assertThatThrownBy(() -> new SnapshotNameFormat("zrepl_", "2006/01/02", UTC))
        .hasMessageContaining("contains invalid character '/'");
    assertThatThrownBy(() -> new SnapshotNameFormat("a#b", "dense", UTC))
        .hasMessageContaining("contains invalid character '#'");
  }

  @Test
  void aFormatWithoutTimeElementsIsRejected() {
    assertThatThrownBy(() -> new SnapshotNameFormat("zrepl_", "snap", UTC))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "timestamp_format 'snap' gives 2020-06-01 and 2020-12-01 the same name 'zrepl_snap';"
                + " every snapshot would collide");
  }

  @Test
  void emptyPrefixOrFormatIsRejected() {
    assertThatThrownBy(() -> new SnapshotNameFormat("", "dense", UTC))
        .hasMessage("prefix must not be empty");
    assertThatThrownBy(() -> new SnapshotNameFormat("zrepl_", "", UTC))
        .hasMessage("timestamp_format must not be empty");
  }
}
