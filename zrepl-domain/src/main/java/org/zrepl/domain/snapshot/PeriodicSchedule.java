package org.zrepl.domain.snapshot;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.version.FilesystemVersion;

/**
 * zrepl's {@code periodic} snapshotting for one filesystem: the next snapshot is due one {@code
 * interval} after the newest snapshot whose name starts with {@code prefix}; immediately if there
 * is none or that time has passed.
 *
 * <p>"Newest" is by createtxg, as zrepl sorts, and only that snapshot is checked against {@code
 * now}: if it was created after {@code now} the outcome is {@link
 * NextSnapshot.SnapshotFromTheFuture}. Bookmarks are ignored. The clock is never read; {@code now}
 * is an argument.
 */
public record PeriodicSchedule(Duration interval, String prefix) {

  public PeriodicSchedule {
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(prefix, "prefix");
    if (interval.isZero() || interval.isNegative()) {
      throw new IllegalArgumentException(
          "interval must be positive, got " + Durations.format(interval));
    }
    SnapshotPrefix.of(prefix);
  }

  /** The newest snapshot (by createtxg) whose name carries the prefix ({@link SnapshotPrefix}). */
  public Optional<FilesystemVersion> newestPrefixed(List<FilesystemVersion> versions) {
    return snapshotPrefix().newest(versions);
  }

  /** The prefix that marks the job's own snapshots. */
  public SnapshotPrefix snapshotPrefix() {
    return SnapshotPrefix.of(prefix);
  }

  /** When the filesystem with these snapshots and bookmarks should be snapshotted next. */
  public NextSnapshot next(List<FilesystemVersion> versions, Instant now) {
    Objects.requireNonNull(now, "now");
    Optional<FilesystemVersion> newest = newestPrefixed(versions);
    if (newest.isEmpty()) {
      return new NextSnapshot.Now(Optional.empty());
    }
    FilesystemVersion latest = newest.get();
    if (latest.creation().isAfter(now)) {
      return new NextSnapshot.SnapshotFromTheFuture(latest, now);
    }
    Instant due = latest.creation().plus(interval);
    if (due.isAfter(now)) {
      return new NextSnapshot.At(due, latest);
    }
    return new NextSnapshot.Now(newest);
  }

  /**
   * zrepl's sync point, which keeps all filesystems of a job in one rhythm: the earliest {@link
   * #next} time among the filesystems that have a prefixed snapshot (overdue ones give a time in
   * the past); {@code now} if none has one (or there are no filesystems). Filesystems with a
   * snapshot from the future are reported and otherwise ignored, unless all of them are affected.
   */
  public SyncPoint syncPoint(Map<DatasetPath, List<FilesystemVersion>> filesystems, Instant now) {
    Objects.requireNonNull(now, "now");
    Map<DatasetPath, NextSnapshot.SnapshotFromTheFuture> errors = new HashMap<>();
    Optional<Instant> earliest = Optional.empty();
    for (Map.Entry<DatasetPath, List<FilesystemVersion>> fs : filesystems.entrySet()) {
      NextSnapshot next = next(fs.getValue(), now);
      Optional<Instant> candidate = Optional.empty();
      if (next instanceof NextSnapshot.SnapshotFromTheFuture f) {
        errors.put(fs.getKey(), f);
      } else if (next instanceof NextSnapshot.At a) {
        candidate = Optional.of(a.at());
      } else if (next instanceof NextSnapshot.Now n) {
        // overdue: a time in the past; no prefixed snapshot: lowest priority, no candidate
        candidate = n.newest().map(v -> v.creation().plus(interval));
      }
      if (candidate.isPresent()
          && (earliest.isEmpty() || candidate.get().isBefore(earliest.get()))) {
        earliest = candidate;
      }
    }
    if (!filesystems.isEmpty() && errors.size() == filesystems.size()) {
      return new SyncPoint.EveryFilesystemFailed(errors);
    }
    return new SyncPoint.At(earliest.orElse(now), errors);
  }
}
