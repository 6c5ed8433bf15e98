package org.zrepl.app.prune;

import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.zrepl.app.config.Job;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.prune.PruneDecision;
import org.zrepl.domain.prune.PrunePlan;
import org.zrepl.port.endpoint.Receiver;
import org.zrepl.port.endpoint.Sender;
import org.zrepl.port.zfs.Zfs;

/**
 * {@code zrepl test prune}: what pruning one side of a job would do right now, snapshot by
 * snapshot, without destroying anything: offline from this machine's ZFS ({@link #run(Job,
 * PruneSide)}), or through a push or pull job's endpoints, the remote one over its connection
 * ({@link #run(Job, PruneSide, Sender, Receiver, String)}), as the job itself prunes.
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
    PruneRun run = PruneRun.of(PruneTargets.of(job, side, zfs), zfs);
    List<String> lines = render(job, side, run, "");
    if (job instanceof Job.Source) {
      lines.add(
          "note: the running daemon also keeps the snapshot a puller completed last and those of"
              + " running steps; on a ZFS without bookmarks it keeps everything of a filesystem"
              + " until a puller completed a step since the daemon started");
    }
    return lines;
  }

  /**
   * As {@link #run(Job, PruneSide)} for a push or pull job, through its {@code sender} and {@code
   * receiver} (one of them remote, reached through {@code peer}): both sides are listed, so the
   * incremental base is protected as when the job prunes. Throws the endpoints' {@code
   * EndpointException} if a side cannot be listed.
   */
  public static List<String> run(
      Job job, PruneSide side, Sender sender, Receiver receiver, String peer) {
    PruneRun run;
    if (job instanceof Job.Push p && side != PruneSide.LOCAL) {
      run =
          side == PruneSide.SENDER
              ? ReplicationPruning.senderSide(p.name(), p.pruning().keepSender(), sender, receiver)
              : ReplicationPruning.receiverSide(
                  p.name(), p.pruning().keepReceiver(), sender, receiver);
    } else if (job instanceof Job.Pull p && side != PruneSide.LOCAL) {
      run =
          side == PruneSide.SENDER
              ? ReplicationPruning.senderSide(p.name(), p.pruning().keepSender(), sender, receiver)
              : ReplicationPruning.receiverSide(
                  p.name(), p.pruning().keepReceiver(), sender, receiver);
    } else {
      throw new IllegalArgumentException(
          "job '" + job.name() + "' (" + job.type() + ") has no " + side.word() + " side");
    }
    return render(job, side, run, "; both sides listed, the peer through " + peer);
  }

  private static List<String> render(Job job, PruneSide side, PruneRun run, String how) {
    PrunePreview preview = run.plan();
    List<String> lines = new ArrayList<>();
    lines.add(
        "job "
            + job.name()
            + ", "
            + side.word()
            + " side: "
            + preview.plans().size()
            + " filesystems (dry run, nothing is destroyed"
            + how
            + ")");
    preview
        .plans()
        .forEach(
            (key, plan) -> {
              DatasetPath fs = run.endpoint().localName(key);
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
