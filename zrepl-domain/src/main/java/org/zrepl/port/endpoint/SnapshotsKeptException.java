package org.zrepl.port.endpoint;

import java.util.List;
import java.util.Objects;

/**
 * A sender asked to destroy snapshots ({@link Sender#destroySnapshots}) kept some of them because
 * another target still needs each as its incremental base (its replication cursor, on a ZFS without
 * bookmarks); it destroyed the others. Not a failure of the destroy: pruning counts the snapshots
 * in {@link #kept()} as kept. Permanent (asking again keeps them again).
 */
public final class SnapshotsKeptException extends EndpointException {
  private static final long serialVersionUID = 1L;

  /**
   * One snapshot kept.
   *
   * @param snapshot its name, without the filesystem ({@code zrepl_20260101_000000_000})
   * @param neededBy the targets whose incremental base it is (their job ids), at least one
   */
  public record Kept(String snapshot, List<String> neededBy) {
    public Kept {
      Objects.requireNonNull(snapshot, "snapshot");
      if (snapshot.isEmpty()) {
        throw new IllegalArgumentException("snapshot must not be empty");
      }
      neededBy = List.copyOf(neededBy);
      if (neededBy.isEmpty()) {
        throw new IllegalArgumentException("neededBy must name a target, got none");
      }
    }
  }

  private final transient List<Kept> kept;

  /**
   * @param message what was kept and why, for people
   * @param kept the snapshots kept, at least one
   */
  public SnapshotsKeptException(String message, List<Kept> kept) {
    super(message, false);
    this.kept = List.copyOf(kept);
    if (this.kept.isEmpty()) {
      throw new IllegalArgumentException("kept must name a snapshot, got none");
    }
  }

  /** The snapshots kept, each with the targets that need it. */
  public List<Kept> kept() {
    return kept;
  }
}
