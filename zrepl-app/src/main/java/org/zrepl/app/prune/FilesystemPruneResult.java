package org.zrepl.app.prune;

import java.util.List;
import java.util.Objects;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.version.FilesystemVersion;

/**
 * What pruning did to one filesystem: the snapshots destroyed, those kept (by the plan, or by the
 * sender for other targets, {@code neededElsewhere}), and those the plan wanted gone but ZFS
 * refused (a held snapshot, for instance), each with the error.
 *
 * @param kept every snapshot kept, those in {@code neededElsewhere} included
 * @param neededElsewhere snapshots the plan wanted gone that the sender kept because another target
 *     still needs each as its incremental base (a ZFS without bookmarks): kept, not failed
 */
public record FilesystemPruneResult(
    DatasetPath fs,
    List<FilesystemVersion> destroyed,
    List<FilesystemVersion> kept,
    List<Failure> failed,
    List<NeededElsewhere> neededElsewhere) {

  /** A snapshot the sender kept for other targets, and which ({@code targets}, their job ids). */
  public record NeededElsewhere(FilesystemVersion snapshot, List<String> targets) {
    public NeededElsewhere {
      Objects.requireNonNull(snapshot, "snapshot");
      targets = List.copyOf(targets);
    }
  }

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
    neededElsewhere = List.copyOf(neededElsewhere);
  }

  /** Nothing kept for other targets. */
  public FilesystemPruneResult(
      DatasetPath fs,
      List<FilesystemVersion> destroyed,
      List<FilesystemVersion> kept,
      List<Failure> failed) {
    this(fs, destroyed, kept, failed, List.of());
  }

  /**
   * {@code pool/a: destroyed 3, kept 5, failed 1 (@x: dataset is busy)}; snapshots kept for other
   * targets are named: {@code kept 5 (@y: needed by another target (job_C_beta))}.
   */
  public String describe() {
    StringBuilder b =
        new StringBuilder()
            .append(fs)
            .append(": destroyed ")
            .append(destroyed.size())
            .append(", kept ")
            .append(kept.size());
    if (!neededElsewhere.isEmpty()) {
      b.append(" (");
      for (int i = 0; i < neededElsewhere.size(); i++) {
        NeededElsewhere n = neededElsewhere.get(i);
        b.append(i == 0 ? "" : "; ").append(n.snapshot().relativeName());
        b.append(": needed by another target (").append(String.join(", ", n.targets())).append(')');
      }
      b.append(')');
    }
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
