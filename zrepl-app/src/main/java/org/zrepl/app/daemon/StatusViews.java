package org.zrepl.app.daemon;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.zrepl.app.prune.FilesystemPruneResult;
import org.zrepl.app.prune.PruneReport;
import org.zrepl.app.snapshot.SnapshotOutcome;
import org.zrepl.app.snapshot.SnapshotRound;

/**
 * The snapshotting and pruning views of {@link JobStatus}, made from what the jobs already keep
 * (their last {@link SnapshotRound} and {@link PruneReport}s): nothing is listed or computed anew.
 */
final class StatusViews {

  private StatusViews() {}

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

  static List<JobStatus.Pruning> pruning(List<Optional<PruneReport>> reports) {
    List<JobStatus.Pruning> out = new ArrayList<>();
    for (Optional<PruneReport> report : reports) {
      report.ifPresent(
          p -> {
            List<JobStatus.PruneResult> fss = new ArrayList<>();
            for (FilesystemPruneResult f : p.filesystems()) {
              fss.add(
                  new JobStatus.PruneResult(
                      f.fs().toString(),
                      f.destroyed().size(),
                      f.destroyed().size() + f.kept().size() + f.failed().size(),
                      f.failed().size(),
                      f.failed().isEmpty()
                          ? ""
                          : f.failed().get(0).snapshot().relativeName()
                              + ": "
                              + f.failed().get(0).error()));
            }
            out.add(new JobStatus.Pruning(p.side().word(), fss));
          });
    }
    return out;
  }
}
