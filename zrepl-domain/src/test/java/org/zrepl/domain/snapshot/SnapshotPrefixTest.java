package org.zrepl.domain.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.zrepl.domain.version.FilesystemVersion;

class SnapshotPrefixTest {

  private static final Instant T = Instant.parse("2026-03-01T00:00:00Z");
  private static final SnapshotPrefix ZREPL = SnapshotPrefix.of("zrepl_");

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "zrepl_20260301_000000_000, true",
    "zrepl_, true",
    "zrepl, false",
    "Zrepl_20260301_000000_000, false",
    "manual_zrepl_1, false",
    "'', false",
  })
  void aNameCarriesThePrefixWhenItStartsWithItCaseSensitively(String name, boolean marked) {
    assertThat(ZREPL.marks(name)).isEqualTo(marked);
  }

  @Test
  void bookmarksNeverCount() {
    assertThat(ZREPL.marks(FilesystemVersion.snapshot("zrepl_1", 1, 1, T))).isTrue();
    assertThat(ZREPL.marks(FilesystemVersion.bookmark("zrepl_1", 1, 1, T))).isFalse();
  }

  @Test
  void theNewestIsByCreateTxgAmongPrefixedSnapshotsOnly() {
    FilesystemVersion older = FilesystemVersion.snapshot("zrepl_b", 1, 10, T.plusSeconds(60));
    FilesystemVersion newer = FilesystemVersion.snapshot("zrepl_a", 2, 20, T);
    List<FilesystemVersion> versions =
        List.of(
            older,
            newer,
            FilesystemVersion.snapshot("manual", 3, 30, T.plusSeconds(120)),
            FilesystemVersion.bookmark("zrepl_c", 4, 40, T.plusSeconds(180)));

    assertThat(ZREPL.newest(versions)).contains(newer);
    assertThat(ZREPL.newest(List.of(versions.get(2)))).isEmpty();
  }

  @Test
  void namesArePrefixThenTimestamp() {
    assertThat(ZREPL.name("20260301_000000_000")).isEqualTo("zrepl_20260301_000000_000");
  }

  @Test
  void theNamingTheScheduleAndTheDueCheckShareIt() {
    SnapshotNameFormat format = SnapshotNameFormat.dense("zrepl_");
    PeriodicSchedule schedule = new PeriodicSchedule(java.time.Duration.ofHours(1), "zrepl_");

    assertThat(format.snapshotPrefix()).isEqualTo(ZREPL).isEqualTo(schedule.snapshotPrefix());
    assertThat(ZREPL.marks(format.name(T))).isTrue();
    assertThat(new SnapshotNameFormat("auto-", "human", ZoneOffset.UTC).name(T))
        .isEqualTo(SnapshotPrefix.of("auto-").name("2026-03-01_00:00:00"));
  }

  @Test
  void anEmptyPrefixOrOneNoSnapshotNameMayHoldIsRefused() {
    assertThatThrownBy(() -> SnapshotPrefix.of("")).hasMessage("prefix must not be empty");
    assertThatThrownBy(() -> SnapshotPrefix.of("a@b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid character '@' at index 1");
    assertThatThrownBy(() -> SnapshotPrefix.of("x".repeat(256)))
        .hasMessageContaining("limit is 255");
  }
}
