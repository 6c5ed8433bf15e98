package org.zrepl.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.stream.Collectors;
import org.zrepl.app.job.ReplicationJobState;
import org.zrepl.app.job.SnapJobState;
import org.zrepl.app.prune.FilesystemPruneResult;
import org.zrepl.app.prune.PruneReport;
import org.zrepl.app.replication.FilesystemResult;
import org.zrepl.app.replication.ReplicationReport;
import org.zrepl.app.snapshot.SnapshotRound;
import org.zrepl.domain.dataset.DatasetPath;

/** What {@code zrepl run --once} prints, and its exit code. */
final class RunOnceOutput {

  private RunOnceOutput() {}

  static int local(ReplicationJobState s, PrintWriter out, PrintWriter err) {
    return replicating(s, "local", out, err);
  }

  /** A local, push or pull job's invocation; {@code type} labels the heading. */
  static int replicating(ReplicationJobState s, String type, PrintWriter out, PrintWriter err) {
    out.println("job " + s.job() + " (" + type + ")");
    snapshots(s.lastSnapshots(), out);
    s.lastReplication().ifPresent(r -> replication(r, s, out));
    prune("sender", s.senderPrune(), out);
    prune("receiver", s.receiverPrune(), out);
    return finish(s.job(), s.failedDatasets(), s.errors(), out, err);
  }

  static int snap(SnapJobState s, PrintWriter out, PrintWriter err) {
    out.println("job " + s.job() + " (snap)");
    snapshots(s.lastSnapshots(), out);
    prune("local", s.lastPrune(), out);
    NavigableSet<DatasetPath> failed = new java.util.TreeSet<>();
    s.datasets()
        .forEach(
            (fs, d) -> {
              boolean snapFailed =
                  d.snapshot()
                      .filter(o -> !(o instanceof org.zrepl.app.snapshot.SnapshotOutcome.Taken))
                      .isPresent();
              boolean pruneFailed = d.prune().filter(p -> !p.failed().isEmpty()).isPresent();
              if (snapFailed || pruneFailed) {
                failed.add(fs);
              }
            });
    return finish(s.job(), failed, s.errors(), out, err);
  }

  private static void snapshots(Optional<SnapshotRound> round, PrintWriter out) {
    if (round.isEmpty()) {
      out.println("snapshot: none due");
      return;
    }
    SnapshotRound r = round.get();
    out.println(
        "snapshot @"
            + r.name()
            + ": taken on "
            + r.taken().size()
            + " of "
            + r.results().size()
            + " filesystems");
    r.results()
        .forEach(
            (fs, o) -> {
              if (!r.taken().contains(fs)) {
                out.println("  " + fs + ": " + o.describe());
              }
            });
  }

  private static void replication(ReplicationReport r, ReplicationJobState s, PrintWriter out) {
    long total = 0;
    int steps = 0;
    out.println("replication:");
    r.runError().ifPresent(e -> out.println("  failed: " + e));
    for (FilesystemResult f : r.results()) {
      if (f instanceof FilesystemResult.Ok ok) {
        total += ok.bytes();
        steps += ok.steps();
        String line = "  " + f.filesystem() + ": " + ok.plan();
        if (ok.steps() > 0) {
          line +=
              ": "
                  + ok.steps()
                  + (ok.steps() == 1 ? " step, " : " steps, ")
                  + bytes(ok.bytes())
                  + rate(ok.bytes(), s.replicationTimes().get(f.filesystem()));
        }
        out.println(line);
      } else {
        out.println("  " + f.describe());
      }
    }
    Duration took = Duration.between(r.started(), r.finished());
    out.println(
        "  total: "
            + steps
            + (steps == 1 ? " step, " : " steps, ")
            + bytes(total)
            + " in "
            + seconds(took)
            + rate(total, took));
    if (!r.guaranteesOff().isEmpty()) {
      out.println(
          "  guarantees off on this ZFS: "
              + r.guaranteesOff().stream()
                  .map(g -> g.name().toLowerCase(Locale.ROOT))
                  .sorted()
                  .collect(Collectors.joining(", ")));
    }
  }

  private static void prune(String side, Optional<PruneReport> report, PrintWriter out) {
    if (report.isEmpty()) {
      return;
    }
    List<FilesystemPruneResult> fss = report.get().filesystems();
    int destroyed = fss.stream().mapToInt(f -> f.destroyed().size()).sum();
    out.println("prune " + side + ": destroyed " + destroyed + " snapshots");
    for (FilesystemPruneResult f : fss) {
      if (!f.destroyed().isEmpty() || !f.failed().isEmpty()) {
        out.println("  " + f.describe());
      }
    }
  }

  private static int finish(
      String job,
      NavigableSet<DatasetPath> failed,
      List<String> errors,
      PrintWriter out,
      PrintWriter err) {
    if (errors.isEmpty()) {
      out.println("ok");
      return 0;
    }
    errors.forEach(e -> err.println("zrepl: " + e));
    err.println(
        "zrepl: job "
            + job
            + " failed"
            + (failed.isEmpty()
                ? ""
                : " for "
                    + failed.size()
                    + (failed.size() == 1 ? " dataset: " : " datasets: ")
                    + failed.stream()
                        .map(DatasetPath::toString)
                        .collect(Collectors.joining(", "))));
    return 1;
  }

  static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = n;
    int i = -1;
    while (v >= 1024 && i < units.length - 1) {
      v /= 1024;
      i++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[i]);
  }

  private static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.2f s", d.toNanos() / 1e9);
  }

  private static String rate(long bytes, Duration took) {
    if (took == null || took.isZero() || took.isNegative()) {
      return "";
    }
    return ", " + bytes((long) (bytes / (took.toNanos() / 1e9))) + "/s";
  }
}
