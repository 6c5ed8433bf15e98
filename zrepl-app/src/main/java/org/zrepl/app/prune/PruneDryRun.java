package org.zrepl.app.prune;

import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.zrepl.app.config.Job;
import org.zrepl.domain.prune.PruneDecision;
import org.zrepl.domain.prune.PrunePlan;
import org.zrepl.port.zfs.Zfs;

/**
 * {@code zrepl test prune}: what pruning one side of a job would do right now, snapshot by
 * snapshot, without destroying anything.
 */
public final class PruneDryRun {

  private final Zfs zfs;

  @Inject
  public PruneDryRun(Zfs zfs) {
    this.zfs = Objects.requireNonNull(zfs, "zfs");
  }

  /**
   * One header line per filesystem, then one line per snapshot: {@code KEEP} or {@code DESTROY},
   * the snapshot, and the rule that keeps it (or {@code protected: incremental base}). Throws
   * IllegalArgumentException if the job has no such side here.
   */
  public List<String> run(Job job, PruneSide side) {
    PrunePreview preview = new Pruner(zfs).plan(PruneTargets.of(job, side, zfs));
    List<String> lines = new ArrayList<>();
    lines.add(
        "job "
            + job.name()
            + ", "
            + side.word()
            + " side: "
            + preview.plans().size()
            + " filesystems (dry run, nothing is destroyed)");
    preview
        .plans()
        .forEach(
            (fs, plan) -> {
              lines.add(fs + ": " + summary(plan));
              for (PruneDecision d : plan.decisions()) {
                String verb = d instanceof PruneDecision.Destroy ? "DESTROY" : "KEEP";
                lines.add(
                    String.format(
                        Locale.ROOT, "  %-7s %s  %s", verb, d.snapshot().fullName(fs), d.reason()));
              }
            });
    return lines;
  }

  private static String summary(PrunePlan plan) {
    return "keep " + plan.toKeep().size() + ", destroy " + plan.toDestroy().size();
  }
}
