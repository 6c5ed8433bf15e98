package org.zrepl.domain.prune;

import java.util.List;
import java.util.stream.Collectors;
import org.zrepl.domain.version.FilesystemVersion;

/** One decision per snapshot of a filesystem, oldest first (by createtxg). Bookmarks are absent. */
public record PrunePlan(List<PruneDecision> decisions) {

  public PrunePlan {
    decisions = List.copyOf(decisions);
  }

  /** The snapshots to destroy, oldest first. */
  public List<FilesystemVersion> toDestroy() {
    return decisions.stream()
        .filter(d -> d instanceof PruneDecision.Destroy)
        .map(PruneDecision::snapshot)
        .toList();
  }

  /** The snapshots that stay, oldest first. */
  public List<FilesystemVersion> toKeep() {
    return decisions.stream()
        .filter(d -> d instanceof PruneDecision.Keep)
        .map(PruneDecision::snapshot)
        .toList();
  }

  /** One {@link PruneDecision#describe()} line per snapshot. */
  public String describe() {
    return decisions.stream().map(PruneDecision::describe).collect(Collectors.joining("\n"));
  }
}
