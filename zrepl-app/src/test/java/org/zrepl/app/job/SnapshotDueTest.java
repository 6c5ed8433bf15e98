package org.zrepl.app.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.zrepl.app.config.CronSpec;
import org.zrepl.app.snapshot.SnapshotSchedule;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.snapshot.PeriodicSchedule;
import org.zrepl.domain.snapshot.SnapshotNameFormat;
import org.zrepl.domain.version.FilesystemVersion;

class SnapshotDueTest {

  private static final Instant T = Instant.parse("2026-03-01T10:00:00Z");
  private static final SnapshotNameFormat NAMES = SnapshotNameFormat.dense("zrepl_");
  private static final DatasetPath FS = DatasetPath.of("pool/a");
  private static final SnapshotSchedule HOURLY =
      new SnapshotSchedule.Periodic(new PeriodicSchedule(Duration.ofHours(1), "zrepl_"));
  private static final SnapshotSchedule CRON_HOURLY =
      new SnapshotSchedule.Cron(CronSpec.parse("0 * * * *"), ZoneOffset.UTC);

  private static Map<DatasetPath, List<FilesystemVersion>> newest(String name, Instant at) {
    return Map.of(FS, List.of(FilesystemVersion.snapshot(name, 1, 1, at)));
  }

  private static boolean due(
      SnapshotSchedule s, Map<DatasetPath, List<FilesystemVersion>> v, Duration after) {
    return SnapshotDue.isDue(s, NAMES, v, T.plus(after));
  }

  @Test
  void periodicIsDueOneIntervalAfterTheNewestPrefixedSnapshotOrAMinuteBefore() {
    var v = newest(NAMES.name(T), T);
    assertThat(due(HOURLY, v, Duration.ofMinutes(30))).isFalse();
    assertThat(due(HOURLY, v, Duration.ofMinutes(58))).isFalse();
    assertThat(due(HOURLY, v, Duration.ofMinutes(59).plusSeconds(30))).isTrue();
    assertThat(due(HOURLY, v, Duration.ofHours(2))).isTrue();
  }

  @Test
  void periodicIsDueWithoutPrefixedSnapshots() {
    assertThat(due(HOURLY, Map.of(FS, List.of()), Duration.ZERO)).isTrue();
    assertThat(due(HOURLY, newest("manual", T), Duration.ofMinutes(1))).isTrue();
  }

  @Test
  void earlinessIsAtMostATenthOfAShortInterval() {
    SnapshotSchedule everyMinute =
        new SnapshotSchedule.Periodic(new PeriodicSchedule(Duration.ofMinutes(1), "zrepl_"));
    var v = newest(NAMES.name(T), T);
    assertThat(due(everyMinute, v, Duration.ofSeconds(50))).isFalse();
    assertThat(due(everyMinute, v, Duration.ofSeconds(55))).isTrue();
  }

  @Test
  void cronIsDueOnceACronTimeHasPassedSinceTheNewestSnapshot() {
    var v = newest(NAMES.name(T.plusSeconds(1)), T.plusSeconds(1));
    assertThat(due(CRON_HOURLY, v, Duration.ofMinutes(30))).isFalse();
    assertThat(due(CRON_HOURLY, v, Duration.ofMinutes(59).plusSeconds(30))).isTrue();
    assertThat(due(CRON_HOURLY, Map.of(FS, List.of()), Duration.ZERO)).isTrue();
  }

  @Test
  void manualIsNeverDue() {
    assertThat(due(new SnapshotSchedule.Manual(), Map.of(), Duration.ofDays(9))).isFalse();
  }
}
