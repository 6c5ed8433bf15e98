package org.zrepl.app.snapshot;

/**
 * Told after each round (a push or local job starts replicating). Called on the snapshotter's
 * notification executor, never on the snapshotting thread, so it may take its time.
 */
@FunctionalInterface
public interface SnapshotListener {

  void snapshotsTaken(SnapshotRound round);

  static SnapshotListener none() {
    return round -> {};
  }
}
