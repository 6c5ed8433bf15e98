package org.zrepl.domain.prune;

/**
 * The sender's replication cursor for one filesystem: the bookmark zrepl moves to the last snapshot
 * that was replicated completely. {@code guid} identifies that snapshot on both sides; {@code
 * createTxg} is its transaction group in the sender's pool.
 */
public record ReplicationCursor(long guid, long createTxg) {
  public ReplicationCursor {
    if (createTxg <= 0) {
      throw new IllegalArgumentException("createTxg must be positive, got " + createTxg);
    }
  }
}
