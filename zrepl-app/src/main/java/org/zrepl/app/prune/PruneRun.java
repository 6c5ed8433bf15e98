package org.zrepl.app.prune;

import java.util.Objects;
import org.zrepl.port.zfs.Zfs;

/** One side to prune: its rules and protection ({@code target}) and where its snapshots are. */
public record PruneRun(PruneTarget target, PruneEndpoint endpoint) {

  public PruneRun {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(endpoint, "endpoint");
  }

  /** A side on the local ZFS. */
  public static PruneRun of(PruneTarget target, Zfs zfs) {
    return new PruneRun(target, PruneEndpoint.of(zfs));
  }

  /** The plan; changes nothing. */
  public PrunePreview plan() {
    return new Pruner(endpoint).plan(target);
  }

  /** Plans and destroys. */
  public PruneReport execute() {
    return new Pruner(endpoint).prune(target);
  }

  /** Plans and destroys, telling {@code progress} as it goes (see {@link PruneProgress}). */
  public PruneReport execute(PruneProgress progress) {
    return new Pruner(endpoint).prune(target, progress);
  }
}
