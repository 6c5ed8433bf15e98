package org.zrepl.domain.snapshot;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.zrepl.domain.version.FilesystemVersion;

/** When the periodic snapshotter should snapshot a filesystem next, or why it cannot tell. */
public sealed interface NextSnapshot
    permits NextSnapshot.Now, NextSnapshot.At, NextSnapshot.SnapshotFromTheFuture {

  /**
   * Due now: the filesystem has no snapshot with the prefix ({@code newest} empty), or the newest
   * one is at least one interval old.
   */
  record Now(Optional<FilesystemVersion> newest) implements NextSnapshot {
    public Now {
      Objects.requireNonNull(newest, "newest");
    }
  }

  /** Due at {@code at}, one interval after {@code newest} was created. */
  record At(Instant at, FilesystemVersion newest) implements NextSnapshot {
    public At {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(newest, "newest");
    }
  }

  /**
   * The newest snapshot with the prefix was created after {@code now}: the clock went backwards or
   * the snapshot came from elsewhere. zrepl treats this as an error for the filesystem.
   */
  record SnapshotFromTheFuture(FilesystemVersion snapshot, Instant now) implements NextSnapshot {
    public SnapshotFromTheFuture {
      Objects.requireNonNull(snapshot, "snapshot");
      Objects.requireNonNull(now, "now");
    }

    /** {@code snapshot @zrepl_x is from the future: creation=... now=...}. */
    public String message() {
      return "snapshot "
          + snapshot.relativeName()
          + " is from the future: creation="
          + snapshot.creation()
          + " now="
          + now;
    }
  }
}
