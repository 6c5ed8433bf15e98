package org.zrepl.domain.replication;

import java.util.ArrayList;
import java.util.List;
import org.zrepl.domain.version.FilesystemVersion;

/**
 * Merges consecutive incremental steps into one {@code zfs send -I} step (zrepl issue #354), which
 * saves a send/receive round trip per snapshot.
 *
 * <p>{@code zfs send -I @a fs@d} sends every snapshot of the filesystem between {@code @a} and
 * {@code @d}, so a run of steps {@code @a -> @b -> @c -> @d} is merged only if the sender has no
 * other snapshot in that range (one the snapshot filter excluded, say), and only if {@code @a} is a
 * snapshot: {@code -I} cannot start at a bookmark. Full steps are never merged.
 */
public final class StepBatching {

  private StepBatching() {}

  /**
   * Returns {@code steps} with every mergeable run merged.
   *
   * @param steps a chain of steps as planned, each starting where the previous ends
   * @param senderVersions all of the sender's versions, to see what {@code -I} would also send
   */
  public static List<Step> batch(List<Step> steps, List<FilesystemVersion> senderVersions) {
    StepChains.checkChained(steps);
    List<FilesystemVersion> senderSnapshots =
        ReplicationPlanner.sorted(senderVersions).stream()
            .filter(FilesystemVersion::isSnapshot)
            .toList();
    List<Step> out = new ArrayList<>();
    Step run = null;
    for (Step next : steps) {
      if (run != null && canMerge(run, next, senderSnapshots)) {
        List<FilesystemVersion> between = new ArrayList<>(run.intermediates());
        between.add(run.to());
        between.addAll(next.intermediates());
        run = new Step(run.from(), next.to(), between);
      } else {
        if (run != null) {
          out.add(run);
        }
        run = next;
      }
    }
    if (run != null) {
      out.add(run);
    }
    return out;
  }

  private static boolean canMerge(Step run, Step next, List<FilesystemVersion> senderSnapshots) {
    if (run.from().isEmpty() || !run.from().get().isSnapshot()) {
      return false;
    }
    long fromTxg = run.from().get().createTxg();
    FilesystemVersion to = next.to();
    List<Long> wouldSend = new ArrayList<>();
    for (FilesystemVersion v : senderSnapshots) {
      // A snapshot of to's own txg may precede it in the chain -I walks, so it counts too.
      if (v.createTxg() > fromTxg && v.createTxg() <= to.createTxg() && v.guid() != to.guid()) {
        wouldSend.add(v.guid());
      }
    }
    List<Long> planned = new ArrayList<>();
    run.received().forEach(v -> planned.add(v.guid()));
    next.intermediates().forEach(v -> planned.add(v.guid()));
    return wouldSend.equals(planned);
  }
}
