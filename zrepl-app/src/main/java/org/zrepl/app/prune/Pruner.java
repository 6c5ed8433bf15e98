package org.zrepl.app.prune;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.prune.PrunePlan;
import org.zrepl.domain.prune.PrunePlanner;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.endpoint.EndpointException;
import org.zrepl.port.endpoint.SnapshotsKeptException;
import org.zrepl.port.zfs.Zfs;
import org.zrepl.port.zfs.ZfsException;

/**
 * Prunes one side ({@link PruneEndpoint}: the local ZFS or an endpoint port): lists the selected
 * filesystems and all their versions (one {@code listVersions} call), plans each with {@link
 * PrunePlanner}, and destroys each filesystem's doomed snapshots in one call (the ZFS adapter copes
 * with ZFS that cannot batch). If that call fails, the snapshots still present are retried one at a
 * time so that one held snapshot is reported while the others go. Listing failures are thrown;
 * destroy failures are reported.
 */
public final class Pruner {

  private static final Logger LOG = LoggerFactory.getLogger(Pruner.class);

  private final PruneEndpoint side;

  public Pruner(Zfs zfs) {
    this(PruneEndpoint.of(zfs));
  }

  /** A pruner of the side {@code side} (the local ZFS, or an endpoint port). */
  public Pruner(PruneEndpoint side) {
    this.side = Objects.requireNonNull(side, "side");
  }

  /** The plan for every selected filesystem; changes nothing. */
  public PrunePreview plan(PruneTarget target) {
    List<DatasetPath> selected = side.filesystems().stream().filter(target.selects()).toList();
    Map<DatasetPath, List<FilesystemVersion>> versions =
        selected.isEmpty() ? Map.of() : side.listVersions(selected);
    Map<DatasetPath, PrunePlan> plans = new TreeMap<>();
    for (DatasetPath fs : selected) {
      List<FilesystemVersion> v = versions.getOrDefault(fs, List.of());
      plans.put(fs, PrunePlanner.plan(v, target.rules(), target.contexts().contextFor(fs, v)));
    }
    return new PrunePreview(target, new TreeMap<>(plans));
  }

  /** Plans and destroys. */
  public PruneReport prune(PruneTarget target) {
    return prune(target, new PruneProgress(target.side()));
  }

  /**
   * Plans and destroys, telling {@code progress} as it goes; a listing that fails is its {@code
   * PlanErr} (and thrown, as by {@link #plan}).
   */
  public PruneReport prune(PruneTarget target, PruneProgress progress) {
    PrunePreview preview;
    try {
      preview = plan(target);
    } catch (ZfsException | EndpointException e) {
      progress.failed(e.getMessage());
      throw e;
    }
    return execute(preview, progress);
  }

  /** Destroys what {@code preview} says, filesystem by filesystem. */
  public PruneReport execute(PrunePreview preview) {
    return execute(preview, new PruneProgress(preview.target().side()));
  }

  /**
   * Destroys what {@code preview} says, filesystem by filesystem, telling {@code progress} of the
   * plan, then of each filesystem when its destroy has run.
   */
  public PruneReport execute(PrunePreview preview, PruneProgress progress) {
    List<PruneProgress.Filesystem> pending = new ArrayList<>();
    preview
        .plans()
        .forEach(
            (fs, plan) ->
                pending.add(
                    new PruneProgress.Filesystem(
                        side.localName(fs),
                        plan.toDestroy().size() + plan.toKeep().size(),
                        plan.toDestroy().size(),
                        false,
                        0,
                        0,
                        "")));
    progress.planned(pending);
    List<FilesystemPruneResult> results = new ArrayList<>();
    preview
        .plans()
        .forEach(
            (fs, plan) -> {
              FilesystemPruneResult r = named(destroy(fs, plan));
              results.add(r);
              progress.completed(r);
            });
    progress.finished();
    PruneReport report = new PruneReport(preview.target().job(), preview.target().side(), results);
    for (FilesystemPruneResult r : results) {
      if (r.failed().isEmpty()) {
        LOG.info("prune {} ({}): {}", report.job(), report.side().word(), r.describe());
      } else {
        LOG.warn("prune {} ({}): {}", report.job(), report.side().word(), r.describe());
      }
    }
    return report;
  }

  /** The result under the side's own name of the filesystem (a receiver's, not the sender's). */
  private FilesystemPruneResult named(FilesystemPruneResult r) {
    DatasetPath local = side.localName(r.fs());
    return local.equals(r.fs())
        ? r
        : new FilesystemPruneResult(
            local, r.destroyed(), r.kept(), r.failed(), r.neededElsewhere());
  }

  private FilesystemPruneResult destroy(DatasetPath fs, PrunePlan plan) {
    List<FilesystemVersion> doomed = plan.toDestroy();
    if (doomed.isEmpty()) {
      return new FilesystemPruneResult(fs, List.of(), plan.toKeep(), List.of());
    }
    try {
      side.destroy(fs, doomed);
      return new FilesystemPruneResult(fs, doomed, plan.toKeep(), List.of());
    } catch (SnapshotsKeptException k) {
      // The sender destroyed the others and kept these for other targets: kept, not failed.
      List<FilesystemVersion> destroyed = new ArrayList<>();
      List<FilesystemVersion> kept = new ArrayList<>(plan.toKeep());
      List<FilesystemPruneResult.NeededElsewhere> needed = new ArrayList<>();
      for (FilesystemVersion d : doomed) {
        Optional<SnapshotsKeptException.Kept> why = keptFor(k, d);
        if (why.isPresent()) {
          kept.add(d);
          needed.add(new FilesystemPruneResult.NeededElsewhere(d, why.get().neededBy()));
        } else {
          destroyed.add(d);
        }
      }
      return new FilesystemPruneResult(fs, destroyed, kept, List.of(), needed);
    } catch (ZfsException | EndpointException batchFailure) {
      LOG.debug("batch destroy on {} failed, retrying one by one", fs, batchFailure);
      return destroyOneByOne(fs, plan, doomed, batchFailure);
    }
  }

  /** What {@code k} says about {@code snapshot}, if it names it. */
  private static Optional<SnapshotsKeptException.Kept> keptFor(
      SnapshotsKeptException k, FilesystemVersion snapshot) {
    return k.kept().stream().filter(x -> x.snapshot().equals(snapshot.name())).findFirst();
  }

  private FilesystemPruneResult destroyOneByOne(
      DatasetPath fs,
      PrunePlan plan,
      List<FilesystemVersion> doomed,
      RuntimeException batchFailure) {
    Set<Long> present = new HashSet<>();
    try {
      side.listVersions(List.of(fs))
          .getOrDefault(fs, List.of())
          .forEach(v -> present.add(v.guid()));
    } catch (ZfsException | EndpointException e) {
      List<FilesystemPruneResult.Failure> all = new ArrayList<>();
      doomed.forEach(d -> all.add(new FilesystemPruneResult.Failure(d, batchFailure.getMessage())));
      return new FilesystemPruneResult(fs, List.of(), plan.toKeep(), all);
    }
    List<FilesystemVersion> destroyed = new ArrayList<>();
    List<FilesystemVersion> kept = new ArrayList<>(plan.toKeep());
    List<FilesystemPruneResult.Failure> failed = new ArrayList<>();
    List<FilesystemPruneResult.NeededElsewhere> needed = new ArrayList<>();
    for (FilesystemVersion d : doomed) {
      if (!present.contains(d.guid())) {
        destroyed.add(d); // the batch got this one before it failed
        continue;
      }
      try {
        side.destroy(fs, List.of(d));
        destroyed.add(d);
      } catch (SnapshotsKeptException k) {
        Optional<SnapshotsKeptException.Kept> why = keptFor(k, d);
        if (why.isPresent()) {
          kept.add(d);
          needed.add(new FilesystemPruneResult.NeededElsewhere(d, why.get().neededBy()));
        } else {
          failed.add(new FilesystemPruneResult.Failure(d, k.getMessage()));
        }
      } catch (ZfsException | EndpointException e) {
        failed.add(new FilesystemPruneResult.Failure(d, e.getMessage()));
      }
    }
    return new FilesystemPruneResult(fs, destroyed, kept, failed, needed);
  }
}
