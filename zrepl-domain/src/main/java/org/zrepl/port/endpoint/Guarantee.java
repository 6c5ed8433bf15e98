package org.zrepl.port.endpoint;

/**
 * What an endpoint does to keep replication safe, as far as its ZFS allows. The engine reports the
 * guarantees that are off, so that an operator on zfs-fuse knows what zrepl cannot promise there.
 */
public enum Guarantee {
  /** Interrupted steps resume from the receiver's token ({@code zfs recv -s}, {@code send -t}). */
  RESUMABILITY,
  /**
   * The sender bookmarks the last replicated snapshot ({@code #zrepl_CURSOR_G_<guid>_J_<job>}), so
   * incremental replication stays possible after that snapshot was pruned.
   */
  REPLICATION_CURSOR,
  /** The sender holds a step's snapshots ({@code zrepl_STEP_J_<job>}) while the step runs. */
  SENDER_STEP_HOLDS,
  /** The receiver holds a step's base snapshot while it receives. */
  RECEIVER_STEP_HOLDS,
  /** The receiver holds the last received snapshot ({@code zrepl_last_received_J_<job>}). */
  LAST_RECEIVED_HOLD
}
