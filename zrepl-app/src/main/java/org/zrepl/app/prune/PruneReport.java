package org.zrepl.app.prune;

import java.util.List;
import java.util.Objects;

/** What one prune run did, per filesystem (sorted by path). */
public record PruneReport(String job, PruneSide side, List<FilesystemPruneResult> filesystems) {

  public PruneReport {
    Objects.requireNonNull(job, "job");
    Objects.requireNonNull(side, "side");
    filesystems = List.copyOf(filesystems);
  }

  /** Whether every planned destroy succeeded. */
  public boolean complete() {
    return filesystems.stream().allMatch(f -> f.failed().isEmpty());
  }
}
