package org.zrepl.app.endpoint;

import java.util.Objects;

/**
 * {@code replication.protection}: what a step leaves behind so that an interrupted step can go on,
 * as zrepl 0.7 defines it. {@code initial} applies to full steps, {@code incremental} to the
 * others.
 *
 * <ul>
 *   <li>{@link Kind#RESUMABILITY}: the sender holds the step's {@code from} (if a snapshot) and
 *       {@code to} with the step hold until the receiver confirmed the step, so a resumable receive
 *       can always be resumed.
 *   <li>{@link Kind#INCREMENTAL}: the sender bookmarks {@code from} and {@code to} as tentative
 *       cursors ({@code zrepl_CURSORTENTATIVE_G_<guid>_J_<job>}) instead of holding them: the
 *       snapshots can be pruned, but incremental replication from {@code from} stays possible.
 *   <li>{@link Kind#NOTHING}: neither; after a confirmed step the replication cursor and the
 *       receiver's last-received hold are removed too.
 * </ul>
 *
 * Both guarantees move the replication cursor to a confirmed step's {@code to} and keep the
 * last-received hold on the receiver's newest received snapshot.
 */
public record Protection(Kind initial, Kind incremental) {

  /** One mode. */
  public enum Kind {
    RESUMABILITY,
    INCREMENTAL,
    NOTHING
  }

  public Protection {
    Objects.requireNonNull(initial, "initial");
    Objects.requireNonNull(incremental, "incremental");
  }

  /** zrepl's default: {@code guarantee_resumability} for both. */
  public static Protection defaults() {
    return new Protection(Kind.RESUMABILITY, Kind.RESUMABILITY);
  }

  /** The mode of a step: {@code incremental} if it has a {@code from}. */
  public Kind of(boolean incrementalStep) {
    return incrementalStep ? incremental : initial;
  }
}
