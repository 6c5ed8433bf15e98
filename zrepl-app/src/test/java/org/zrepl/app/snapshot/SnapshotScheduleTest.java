package org.zrepl.app.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.zrepl.app.config.CronSpec;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.snapshot.PeriodicSchedule;
import org.zrepl.domain.version.FilesystemVersion;

class SnapshotScheduleTest {

  private static final Instant NOW = Instant.parse("2024-05-01T10:20:00Z");
  private static final DatasetPath A = DatasetPath.of("pool/a");
  private static final DatasetPath B = DatasetPath.of("pool/b");
  private static final SnapshotSchedule HOURLY =
      new SnapshotSchedule.Periodic(new PeriodicSchedule(Duration.ofHours(1), "zrepl_"));

  private static FilesystemVersion snap(String name, long txg, Instant at) {
    return FilesystemVersion.snapshot(name, txg * 1000, txg, at);
  }

  @Test
  void periodicWithoutSnapshotsStartsNow() {
    assertThat(HOURLY.first(Map.of(A, List.of()), NOW))
        .isEqualTo(new SnapshotSchedule.FirstRound(Optional.of(NOW), List.of()));
  }

  @Test
  void periodicSyncsToTheNewestPrefixedSnapshotOfAnyFilesystem() {
    Map<DatasetPath, List<FilesystemVersion>> versions =
        Map.of(
            A, List.of(snap("zrepl_1", 1, NOW.minusSeconds(50 * 60))),
            B,
                List.of(
                    snap("zrepl_1", 1, NOW.minusSeconds(90 * 60)),
                    snap("zrepl_2", 2, NOW.minusSeconds(20 * 60)),
                    snap("manual", 3, NOW.minusSeconds(60))));
    // A is due at 10:30 (10:20 - 50m + 1h), B at 11:00; "manual" has no prefix
    assertThat(HOURLY.first(versions, NOW).at()).contains(Instant.parse("2024-05-01T10:30:00Z"));
  }

  @Test
  void periodicOverdueRunsNow() {
    assertThat(HOURLY.first(Map.of(A, List.of(snap("zrepl_1", 1, NOW.minusSeconds(7200)))), NOW))
        .isEqualTo(new SnapshotSchedule.FirstRound(Optional.of(NOW), List.of()));
  }

  @Test
  void aSnapshotFromTheFutureIsReportedAndTheOthersDecide() {
    Instant future = NOW.plusSeconds(3600);
    SnapshotSchedule.FirstRound first =
        HOURLY.first(
            Map.of(
                A, List.of(snap("zrepl_1", 1, future)),
                B, List.of(snap("zrepl_1", 1, NOW.minusSeconds(600)))),
            NOW);
    assertThat(first.at()).contains(NOW.plusSeconds(3000));
    assertThat(first.errors())
        .containsExactly(
            "pool/a: snapshot @zrepl_1 is from the future: creation=2024-05-01T11:20:00Z"
                + " now=2024-05-01T10:20:00Z");
  }

  @Test
  void whenEveryFilesystemIsFromTheFutureItRetriesOneIntervalLater() {
    SnapshotSchedule.FirstRound first =
        HOURLY.first(Map.of(A, List.of(snap("zrepl_1", 1, NOW.plusSeconds(1)))), NOW);
    assertThat(first.at()).contains(NOW.plusSeconds(3600));
    assertThat(first.errors()).singleElement().asString().startsWith("cannot determine a sync");
  }

  @Test
  void periodicNextIsOneIntervalAfterTheDueTimeSkippingOverrunIntervals() {
    Instant due = Instant.parse("2024-05-01T10:00:00Z");
    assertThat(HOURLY.after(due, due.plusSeconds(5))).contains(due.plusSeconds(3600));
    assertThat(HOURLY.after(due, due.plusSeconds(9000))).contains(due.plusSeconds(3 * 3600));
  }

  @Test
  void cronRunsAtTheNamedTimes() {
    SnapshotSchedule cron =
        new SnapshotSchedule.Cron(CronSpec.parse("0 */6 * * *"), ZoneOffset.UTC);
    assertThat(cron.first(Map.of(), NOW).at()).contains(Instant.parse("2024-05-01T12:00:00Z"));
    Instant due = Instant.parse("2024-05-01T12:00:00Z");
    assertThat(cron.after(due, due.plusSeconds(2))).contains(Instant.parse("2024-05-01T18:00:00Z"));
    assertThat(cron.after(due, Instant.parse("2024-05-02T01:00:00Z")))
        .contains(Instant.parse("2024-05-02T06:00:00Z"));
  }

  @Test
  void manualNeverRuns() {
    SnapshotSchedule manual = new SnapshotSchedule.Manual();
    assertThat(manual.first(Map.of(), NOW).at()).isEmpty();
    assertThat(manual.after(NOW, NOW)).isEmpty();
  }
}
