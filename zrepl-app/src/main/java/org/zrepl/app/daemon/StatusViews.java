package org.zrepl.app.daemon;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.zrepl.app.job.SnapperReport;
import org.zrepl.app.prune.PruneProgress;
import org.zrepl.app.snapshot.SnapshotOutcome;
import org.zrepl.app.snapshot.SnapshotRound;

/**
 * The snapshotting and pruning views of {@link JobStatus}, made from what the jobs already keep
 * (their last {@link SnapshotRound}, their prune runs as they go): nothing is listed or computed
 * anew.
 */
final class StatusViews {

  private StatusViews() {}

  /** The last round with the snapshotter's state {@code snapper} (empty: manual, or unknown). */
  static JobStatus.Snapshotting snapshotting(
      Optional<SnapshotRound> round, Optional<SnapperReport> snapper) {
    JobStatus.Snapshotting last = snapshotting(round);
    return snapper
        .map(
            s ->
                new JobStatus.Snapshotting(
                    last.at(),
                    last.filesystems(),
                    last.millis(),
                    s.state(),
                    JobStatus.time(s.sleepUntil()),
                    s.error()))
        .orElse(last);
  }

  static JobStatus.Snapshotting snapshotting(Optional<SnapshotRound> round) {
    if (round.isEmpty()) {
      return new JobStatus.Snapshotting("", List.of());
    }
    SnapshotRound r = round.get();
    List<JobStatus.SnapshotResult> out = new ArrayList<>();
    r.results()
        .forEach(
            (fs, o) -> {
              String hooks =
                  r.hooksOf(fs).stream()
                      .map(h -> h.edge().word() + " hook " + h.hook() + ": " + h.result())
                      .collect(Collectors.joining("; "));
              if (o instanceof SnapshotOutcome.Taken t) {
                out.add(new JobStatus.SnapshotResult(fs.toString(), "taken", t.name(), "", hooks));
              } else if (o instanceof SnapshotOutcome.SkippedByHook) {
                out.add(
                    new JobStatus.SnapshotResult(
                        fs.toString(), "skipped", r.name(), o.describe(), hooks));
              } else {
                out.add(
                    new JobStatus.SnapshotResult(
                        fs.toString(), "failed", r.name(), o.describe(), hooks));
              }
            });
    return new JobStatus.Snapshotting(
        JobStatus.time(Optional.of(r.at())),
        out,
        Duration.between(r.at(), r.finished()).toMillis());
  }

  /** Each side's prune run (in progress or the last one), in the order given. */
  static List<JobStatus.Pruning> pruning(List<PruneProgress.Report> reports) {
    List<JobStatus.Pruning> out = new ArrayList<>();
    for (PruneProgress.Report p : reports) {
      List<JobStatus.PruneResult> fss = new ArrayList<>();
      for (PruneProgress.Filesystem f : p.filesystems()) {
        fss.add(
            new JobStatus.PruneResult(
                f.fs().toString(),
                f.destroyed(),
                f.snapshots(),
                f.failed(),
                f.error(),
                f.toDestroy(),
                f.completed()));
      }
      out.add(new JobStatus.Pruning(p.side().word(), fss, p.state().word(), p.error()));
    }
    return out;
  }
}
