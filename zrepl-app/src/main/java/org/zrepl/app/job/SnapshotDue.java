package org.zrepl.app.job;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.zrepl.app.snapshot.SnapshotSchedule;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.snapshot.SnapshotNameFormat;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.zfs.Zfs;
import org.zrepl.port.zfs.ZfsException;

/**
 * Whether a snapshot round is due for a job's {@code runOnce()}, judged from the filesystems'
 * existing snapshots: {@code periodic} when the sync point (one interval after the newest prefixed
 * snapshot) has come, {@code cron} when a cron time has passed since the newest prefixed snapshot,
 * never for {@code manual}. Up to {@link #EARLY} early counts as due (at most a tenth of a periodic
 * interval): a snapshot taken at 10:00:00.4 and a cron run of {@code zrepl run --once} at
 * 11:00:00.1 must not skip a round.
 */
final class SnapshotDue {

  static final Duration EARLY = Duration.ofMinutes(1);

  private SnapshotDue() {}

  static boolean isDue(
      SnapshotSchedule schedule,
      SnapshotNameFormat format,
      Map<DatasetPath, List<FilesystemVersion>> versions,
      Instant now) {
    if (schedule instanceof SnapshotSchedule.Manual) {
      return false;
    }
    if (schedule instanceof SnapshotSchedule.Cron) {
      Optional<Instant> newest =
          versions.values().stream()
              .flatMap(List::stream)
              .filter(format.snapshotPrefix()::marks)
              .map(FilesystemVersion::creation)
              .max(Instant::compareTo);
      Instant limit = now.plus(EARLY);
      return newest.isEmpty()
          || schedule.after(newest.get(), newest.get()).map(t -> !t.isAfter(limit)).orElse(false);
    }
    Duration early = EARLY;
    if (schedule instanceof SnapshotSchedule.Periodic p) {
      Duration tenth = p.schedule().interval().dividedBy(10);
      early = tenth.compareTo(EARLY) < 0 ? tenth : EARLY;
    }
    Instant limit = now.plus(early);
    return schedule.first(versions, now).at().map(t -> !t.isAfter(limit)).orElse(false);
  }

  /**
   * A job loop's first round at start, from the snapshots of the filesystems {@code selected} gives
   * (the sync point). A listing failure is added to {@code errors} and the round computed as if
   * there were no snapshots; the schedule's own complaints are added too.
   */
  static SnapshotSchedule.FirstRound firstRound(
      SnapshotSchedule schedule,
      Zfs zfs,
      Supplier<List<DatasetPath>> selected,
      Instant now,
      List<String> errors) {
    SnapshotSchedule.FirstRound first;
    try {
      List<DatasetPath> filesystems = selected.get();
      first = schedule.first(filesystems.isEmpty() ? Map.of() : zfs.listVersions(filesystems), now);
    } catch (ZfsException e) {
      errors.add("cannot list snapshots to find the sync point: " + e.getMessage());
      SnapshotSchedule.FirstRound blind = schedule.first(Map.of(), now);
      first = new SnapshotSchedule.FirstRound(blind.at(), blind.errors(), true);
    }
    errors.addAll(first.errors());
    return first;
  }
}
