package org.zrepl.app.replication;

/** Where one filesystem's replication stands, as the status shows it. */
public enum FilesystemState {
  /** Has steps and waits for a worker. */
  READY,
  /** Waits for a parent's initial replication. */
  WAITING_FOR_PARENT,
  STEPPING,
  /** A step failed temporarily; waiting before the next attempt. */
  RETRY_WAIT,
  DONE,
  CONFLICT,
  FAILED
}
