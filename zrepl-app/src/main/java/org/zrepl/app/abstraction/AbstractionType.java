package org.zrepl.app.abstraction;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** The kinds of abstraction, by zrepl's names ({@code --type}). */
public enum AbstractionType {
  /** {@code zrepl_STEP_J_<job>} held on a step's snapshots while it runs. */
  STEP_HOLD("step-hold", true),
  /** {@code zrepl_last_received_J_<job>} held on a receiver's newest received snapshot. */
  LAST_RECEIVED_HOLD("last-received-hold", true),
  /** Bookmark {@code zrepl_CURSORTENTATIVE_G_<guid>_J_<job>} ({@code guarantee_incremental}). */
  TENTATIVE_CURSOR("tentative-replication-cursor-bookmark-v2", false),
  /** Bookmark {@code zrepl_replication_cursor} of zrepl before 0.3 (no job id). */
  CURSOR_V1("replication-cursor-bookmark-v1", false),
  /** Bookmark {@code zrepl_CURSOR_G_<guid>_J_<job>}: the sender's replication cursor. */
  CURSOR_V2("replication-cursor-bookmark-v2", false),
  /**
   * An entry {@code <job>=<guid>} of the user property {@code zrepl:cursors}: the cursor where ZFS
   * has no bookmarks (zfs-fuse). Ours only; zrepl has no such type.
   */
  CURSOR_PROPERTY("replication-cursor-property", false);

  private final String word;
  private final boolean hold;

  AbstractionType(String word, boolean hold) {
    this.word = word;
    this.hold = hold;
  }

  /** The name on the command line and in JSON. */
  public String word() {
    return word;
  }

  /** Whether it is a hold tag on a snapshot (released) rather than a bookmark or entry. */
  public boolean isHold() {
    return hold;
  }

  public static Optional<AbstractionType> of(String word) {
    return Arrays.stream(values()).filter(t -> t.word.equals(word)).findFirst();
  }

  /** {@code a|b|c}, sorted, for help and error texts. */
  public static String words() {
    return Arrays.stream(values())
        .map(AbstractionType::word)
        .sorted()
        .collect(Collectors.joining("|"));
  }
}
