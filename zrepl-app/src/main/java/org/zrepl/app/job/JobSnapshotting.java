package org.zrepl.app.job;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.zrepl.app.endpoint.UnmatchedFilterRules;
import org.zrepl.app.snapshot.SnapshotOutcome;
import org.zrepl.app.snapshot.SnapshotRound;
import org.zrepl.app.snapshot.SnapshotSchedule;
import org.zrepl.app.snapshot.Snapshotter;
import org.zrepl.domain.dataset.DatasetFilter;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.zfs.DatasetInfo;
import org.zrepl.port.zfs.Zfs;
import org.zrepl.port.zfs.ZfsException;

/**
 * The snapshot side of a {@link ReplicationJob}: which filesystems it snapshots, when a round is
 * due and taking one. Failures become lines in the caller's {@code errors}, never exceptions: a
 * snapshot round that cannot list its filesystems is reported and the job goes on to replicate what
 * exists. Not thread-safe on its own; the job runs one round or invocation at a time.
 */
final class JobSnapshotting {

  private final String job;
  private final Zfs zfs;
  private final DatasetFilter selects;
  private final SnapshotSchedule schedule;
  private final Optional<Snapshotter> snapshotter;
  private final Optional<Snapper> snapper;

  JobSnapshotting(
      String job,
      Zfs zfs,
      DatasetFilter selects,
      SnapshotSchedule schedule,
      Optional<Snapshotter> snapshotter) {
    this.job = Objects.requireNonNull(job, "job");
    this.zfs = Objects.requireNonNull(zfs, "zfs");
    this.selects = Objects.requireNonNull(selects, "selects");
    this.schedule = Objects.requireNonNull(schedule, "schedule");
    this.snapshotter = Objects.requireNonNull(snapshotter, "snapshotter");
    this.snapper = snapshotter.map(x -> new Snapper(schedule instanceof SnapshotSchedule.Cron));
  }

  /** The snapshotter's state; empty for manual snapshotting. */
  Optional<SnapperReport> snapper() {
    return snapper.map(Snapper::report);
  }

  /** The loop scheduled the next round at {@code next} (empty: none). */
  void waitingUntil(Optional<Instant> next) {
    snapper.ifPresent(s -> s.waitingUntil(next));
  }

  /** The loop stopped. */
  void stopped() {
    snapper.ifPresent(Snapper::stopped);
  }

  /** Whether the job takes snapshots itself (its snapshotting is not {@code manual}). */
  boolean takesSnapshots() {
    return snapshotter.isPresent();
  }

  /** The loop's first round at start (the sync point); see {@link SnapshotDue#firstRound}. */
  Optional<Instant> firstRound(Instant now, List<String> errors) {
    List<String> own = new ArrayList<>();
    SnapshotSchedule.FirstRound first =
        SnapshotDue.firstRound(schedule, zfs, this::selected, now, own);
    errors.addAll(own);
    snapper.ifPresent(s -> s.syncUp(first.at(), own, first.failed()));
    return first.at();
  }

  /** The round after the one due at {@code due}, which has just run; empty for manual. */
  Optional<Instant> after(Instant due, Instant now) {
    return schedule.after(due, now);
  }

  /**
   * Whether a round is due at {@code now} (see {@link SnapshotDue}); never for manual snapshotting.
   * A listing failure is an error and means not due.
   */
  boolean isDue(Instant now, List<String> errors) {
    if (snapshotter.isEmpty()) {
      return false;
    }
    try {
      List<DatasetPath> selected = selected();
      Map<DatasetPath, List<FilesystemVersion>> versions =
          selected.isEmpty() ? Map.of() : zfs.listVersions(selected);
      return SnapshotDue.isDue(schedule, snapshotter.get().format(), versions, now);
    } catch (ZfsException e) {
      errors.add("cannot list snapshots to see whether one is due: " + e.getMessage());
      return false;
    }
  }

  /**
   * One round now on every selected filesystem; each filesystem not snapshotted is an error line.
   * Empty if the filesystems could not be listed. Throws IllegalStateException for manual
   * snapshotting.
   */
  Optional<SnapshotRound> take(List<String> errors) {
    Snapshotter s =
        snapshotter.orElseThrow(
            () -> new IllegalStateException("manual snapshotting takes no snapshots"));
    return round(s, this::selected, snapper, "snapshot ", errors);
  }

  /**
   * One snapshot round of {@code filesystems} (listed once the snapshotter is planning), reported
   * to {@code snapper}; each filesystem not snapshotted is a line {@code "<fs>: <outcomePrefix>
   * <outcome>"} in {@code errors}. Empty if the filesystems could not be listed.
   */
  static Optional<SnapshotRound> round(
      Snapshotter s,
      Supplier<List<DatasetPath>> filesystems,
      Optional<Snapper> snapper,
      String outcomePrefix,
      List<String> errors) {
    List<String> own = new ArrayList<>();
    snapper.ifPresent(Snapper::planning);
    try {
      List<DatasetPath> selected = filesystems.get();
      snapper.ifPresent(Snapper::snapshotting);
      SnapshotRound r = s.snapshot(selected);
      r.results()
          .forEach(
              (fs, o) -> {
                if (!(o instanceof SnapshotOutcome.Taken)) {
                  own.add(fs + ": " + outcomePrefix + o.describe());
                }
              });
      return Optional.of(r);
    } catch (ZfsException e) {
      own.add("cannot list filesystems to snapshot: " + e.getMessage());
      return Optional.empty();
    } catch (RuntimeException e) {
      own.add("the snapshot round failed: " + e);
      throw e;
    } finally {
      errors.addAll(own);
      snapper.ifPresent(x -> x.roundEnded(own));
    }
  }

  /** The filesystems the job's filter selects. */
  private List<DatasetPath> selected() {
    return UnmatchedFilterRules.select(
        selects,
        zfs.listDatasets(List.of(), Set.of()).stream().map(DatasetInfo::path).toList(),
        job);
  }
}
