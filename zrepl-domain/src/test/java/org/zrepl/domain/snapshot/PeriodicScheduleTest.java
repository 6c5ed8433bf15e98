package org.zrepl.domain.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.version.FilesystemVersion;

class PeriodicScheduleTest {

  private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
  private static final PeriodicSchedule EVERY_10M =
      new PeriodicSchedule(Duration.ofMinutes(10), "zrepl_");

  private static FilesystemVersion snap(String name, long txg, Duration beforeNow) {
    return FilesystemVersion.snapshot(name, txg, txg, NOW.minus(beforeNow));
  }

  @Test
  void dueNowWithoutPrefixedSnapshots() {
    assertThat(EVERY_10M.next(List.of(), NOW)).isEqualTo(new NextSnapshot.Now(Optional.empty()));
    List<FilesystemVersion> others =
        List.of(
            snap("manual_1", 1, Duration.ofMinutes(1)),
            FilesystemVersion.bookmark("zrepl_1", 2, 2, NOW.minusSeconds(60)));
    assertThat(EVERY_10M.next(others, NOW)).isEqualTo(new NextSnapshot.Now(Optional.empty()));
  }

  @Test
  void dueOneIntervalAfterTheNewestPrefixedSnapshot() {
    FilesystemVersion newest = snap("zrepl_2", 2, Duration.ofMinutes(3));
    List<FilesystemVersion> vs =
        List.of(
            snap("zrepl_1", 1, Duration.ofMinutes(13)), newest, snap("manual", 3, Duration.ZERO));
    assertThat(EVERY_10M.next(vs, NOW))
        .isEqualTo(new NextSnapshot.At(NOW.plus(Duration.ofMinutes(7)), newest));
  }

  @Test
  void aSnapshotTakenJustNowIsDueOneIntervalLater() {
    FilesystemVersion newest = snap("zrepl_1", 1, Duration.ZERO);
    assertThat(EVERY_10M.next(List.of(newest), NOW))
        .isEqualTo(new NextSnapshot.At(NOW.plus(Duration.ofMinutes(10)), newest));
  }

  @Test
  void dueNowWhenOverdueOrExactlyDue() {
    FilesystemVersion exactly = snap("zrepl_1", 1, Duration.ofMinutes(10));
    assertThat(EVERY_10M.next(List.of(exactly), NOW))
        .isEqualTo(new NextSnapshot.Now(Optional.of(exactly)));
    FilesystemVersion old = snap("zrepl_1", 1, Duration.ofDays(3));
    assertThat(EVERY_10M.next(List.of(old), NOW)).isEqualTo(new NextSnapshot.Now(Optional.of(old)));
  }

  @Test
  void newestIsByCreateTxgAsInZrepl() {
    // txg 2 is newer although its creation is older (the clock was adjusted in between)
    FilesystemVersion byTxg = snap("zrepl_b", 2, Duration.ofMinutes(8));
    List<FilesystemVersion> vs = List.of(snap("zrepl_a", 1, Duration.ofMinutes(2)), byTxg);
    assertThat(EVERY_10M.next(vs, NOW))
        .isEqualTo(new NextSnapshot.At(NOW.plus(Duration.ofMinutes(2)), byTxg));
  }

  @Test
  void aSnapshotFromTheFutureIsReportedByName() {
    FilesystemVersion future = snap("zrepl_f", 5, Duration.ofMinutes(-1));
    NextSnapshot next =
        EVERY_10M.next(List.of(snap("zrepl_a", 1, Duration.ofHours(1)), future), NOW);
    assertThat(next).isEqualTo(new NextSnapshot.SnapshotFromTheFuture(future, NOW));
    assertThat(((NextSnapshot.SnapshotFromTheFuture) next).message())
        .isEqualTo(
            "snapshot @zrepl_f is from the future: creation=2026-11-25T12:01:00Z"
                + " now=2026-11-25T12:00:00Z");
  }

  @Test
  void validatesIntervalAndPrefix() {
    assertThatThrownBy(() -> new PeriodicSchedule(Duration.ZERO, "zrepl_"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("interval must be positive, got 0s");
    assertThatThrownBy(() -> new PeriodicSchedule(Duration.ofMinutes(-5), "zrepl_"))
        .hasMessage("interval must be positive, got -5m");
    assertThatThrownBy(() -> new PeriodicSchedule(Duration.ofMinutes(5), ""))
        .hasMessage("prefix must not be empty");
  }

  private static final DatasetPath A = DatasetPath.of("p/a");
  private static final DatasetPath B = DatasetPath.of("p/b");
  private static final DatasetPath C = DatasetPath.of("p/c");

  @Test
  void syncPointIsTheEarliestDueTimeAmongFilesystemsWithSnapshots() {
    Map<DatasetPath, List<FilesystemVersion>> fss =
        Map.of(
            A, List.of(snap("zrepl_a", 1, Duration.ofMinutes(2))), // due in 8m
            B, List.of(snap("zrepl_b", 1, Duration.ofMinutes(5))), // due in 5m
            C, List.of()); // no snapshot: does not pull the sync point to now
    assertThat(EVERY_10M.syncPoint(fss, NOW))
        .isEqualTo(new SyncPoint.At(NOW.plus(Duration.ofMinutes(5)), Map.of()));
  }

  @Test
  void syncPointMayBeOverdue() {
    Map<DatasetPath, List<FilesystemVersion>> fss =
        Map.of(A, List.of(snap("zrepl_a", 1, Duration.ofMinutes(25))));
    assertThat(EVERY_10M.syncPoint(fss, NOW))
        .isEqualTo(new SyncPoint.At(NOW.minus(Duration.ofMinutes(15)), Map.of()));
  }

  @Test
  void syncPointIsNowWithoutAnyPrefixedSnapshotOrFilesystem() {
    assertThat(EVERY_10M.syncPoint(Map.of(A, List.of(), B, List.of()), NOW))
        .isEqualTo(new SyncPoint.At(NOW, Map.of()));
    assertThat(EVERY_10M.syncPoint(Map.of(), NOW)).isEqualTo(new SyncPoint.At(NOW, Map.of()));
  }

  @Test
  void filesystemsWithSnapshotsFromTheFutureAreReported() {
    FilesystemVersion future = snap("zrepl_f", 1, Duration.ofMinutes(-3));
    Map<DatasetPath, List<FilesystemVersion>> fss =
        Map.of(A, List.of(future), B, List.of(snap("zrepl_b", 1, Duration.ofMinutes(1))));
    assertThat(EVERY_10M.syncPoint(fss, NOW))
        .isEqualTo(
            new SyncPoint.At(
                NOW.plus(Duration.ofMinutes(9)),
                Map.of(A, new NextSnapshot.SnapshotFromTheFuture(future, NOW))));
  }

  @Test
  void noSyncPointWhenEveryFilesystemHasASnapshotFromTheFuture() {
    Map<DatasetPath, List<FilesystemVersion>> fss =
        Map.of(
            B, List.of(snap("zrepl_b", 1, Duration.ofMinutes(-1))),
            A, List.of(snap("zrepl_a", 1, Duration.ofMinutes(-2))));
    SyncPoint sp = EVERY_10M.syncPoint(fss, NOW);
    assertThat(sp).isInstanceOf(SyncPoint.EveryFilesystemFailed.class);
    assertThat(((SyncPoint.EveryFilesystemFailed) sp).message())
        .isEqualTo(
            "cannot determine a sync point for any filesystem:"
                + " p/a: snapshot @zrepl_a is from the future: creation=2026-11-25T12:02:00Z"
                + " now=2026-11-25T12:00:00Z;"
                + " p/b: snapshot @zrepl_b is from the future: creation=2026-11-25T12:01:00Z"
                + " now=2026-11-25T12:00:00Z");
  }
}
