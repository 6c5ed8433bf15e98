package org.zrepl.app.prune;

import java.util.List;
import java.util.Objects;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.version.FilesystemVersion;

/**
 * What pruning did to one filesystem: the snapshots destroyed, those kept by the plan, and those
 * the plan wanted gone but ZFS refused (a held snapshot, for instance), each with the error.
 */
public record FilesystemPruneResult(
    DatasetPath fs,
    List<FilesystemVersion> destroyed,
    List<FilesystemVersion> kept,
    List<Failure> failed) {

  /** A snapshot that could not be destroyed, with ZFS's complaint. */
  public record Failure(FilesystemVersion snapshot, String error) {
    public Failure {
      Objects.requireNonNull(snapshot, "snapshot");
      Objects.requireNonNull(error, "error");
    }
  }

  public FilesystemPruneResult {
    Objects.requireNonNull(fs, "fs");
    destroyed = List.copyOf(destroyed);
    kept = List.copyOf(kept);
    failed = List.copyOf(failed);
  }

  /** {@code pool/a: destroyed 3, kept 5, failed 1 (@x: dataset is busy)}. */
  public String describe() {
    StringBuilder b =
        new StringBuilder()
            .append(fs)
            .append(": destroyed ")
            .append(destroyed.size())
            .append(", kept ")
            .append(kept.size());
    if (!failed.isEmpty()) {
      b.append(", failed ").append(failed.size()).append(" (");
      for (int i = 0; i < failed.size(); i++) {
        Failure f = failed.get(i);
        b.append(i == 0 ? "" : "; ").append(f.snapshot().relativeName()).append(": ");
        b.append(f.error());
      }
      b.append(')');
    }
    return b.toString();
  }
}
