package org.zrepl.app.prune;

import java.util.Locale;

/** Which snapshots are pruned: a replication job's sending or receiving side, or a snap job's. */
public enum PruneSide {
  SENDER,
  RECEIVER,
  LOCAL;

  /** {@code sender}, {@code receiver}, {@code local}, as on the command line. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }
}
