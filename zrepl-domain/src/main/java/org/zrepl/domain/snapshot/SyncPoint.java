package org.zrepl.domain.snapshot;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.zrepl.domain.dataset.DatasetPath;

/**
 * When a periodic snapshotter starts its rhythm for all its filesystems: zrepl's "sync point",
 * computed by {@link PeriodicSchedule#syncPoint}.
 */
public sealed interface SyncPoint permits SyncPoint.At, SyncPoint.EveryFilesystemFailed {

  /**
   * Snapshot all filesystems at {@code at}, which may lie in the past (then: immediately). {@code
   * errors} names the filesystems whose newest snapshot is from the future; zrepl logs them and
   * snapshots them at the sync point all the same.
   */
  record At(Instant at, Map<DatasetPath, NextSnapshot.SnapshotFromTheFuture> errors)
      implements SyncPoint {
    public At {
      Objects.requireNonNull(at, "at");
      errors = Map.copyOf(errors);
    }
  }

  /** Every filesystem has a snapshot from the future: no sync point can be determined. */
  record EveryFilesystemFailed(Map<DatasetPath, NextSnapshot.SnapshotFromTheFuture> errors)
      implements SyncPoint {
    public EveryFilesystemFailed {
      errors = Map.copyOf(errors);
      if (errors.isEmpty()) {
        throw new IllegalArgumentException("errors must not be empty");
      }
    }

    /** One line naming every filesystem and its snapshot, in path order. */
    public String message() {
      StringBuilder b = new StringBuilder("cannot determine a sync point for any filesystem:");
      new TreeMap<>(errors)
          .forEach(
              (fs, e) -> b.append(' ').append(fs).append(": ").append(e.message()).append(';'));
      b.setLength(b.length() - 1);
      return b.toString();
    }
  }
}
