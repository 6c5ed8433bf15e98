package org.zrepl.domain.prune;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.zrepl.domain.version.FilesystemVersion;

/**
 * zrepl's pruning decision for one filesystem, as a pure function.
 *
 * <p>Each rule names the snapshots it does not keep; a snapshot is destroyed only if every rule
 * rejects it, so an empty rule list destroys nothing. On top of zrepl's rules, snapshots whose guid
 * is in {@link PruneContext#protectedGuids()} (the incremental base both sides share) are always
 * kept. Bookmarks are never pruned and do not appear in the plan.
 */
public final class PrunePlanner {

  private static final Comparator<FilesystemVersion> BY_TXG =
      Comparator.comparingLong(FilesystemVersion::createTxg).thenComparing(FilesystemVersion::name);

  private PrunePlanner() {}

  /**
   * Decides for every snapshot in {@code versions} (one filesystem; bookmarks are ignored).
   *
   * @throws IllegalArgumentException if two snapshots share a name
   */
  public static PrunePlan plan(
      List<FilesystemVersion> versions, List<KeepRule> rules, PruneContext context) {
    List<FilesystemVersion> snapshots = new ArrayList<>(versions.size());
    for (FilesystemVersion v : versions) {
      if (v.isSnapshot()) {
        snapshots.add(v);
      }
    }
    snapshots.sort(BY_TXG);
    checkUniqueNames(snapshots);
    boolean[][] keptByRule = new boolean[rules.size()][];
    for (int i = 0; i < rules.size(); i++) {
      keptByRule[i] = rules.get(i).keeps(snapshots, context);
    }
    // The lists of rules that keep a snapshot repeat from snapshot to snapshot: one list per
    // combination, made once (a side has a handful of rules; beyond 16, one list per snapshot).
    int n = rules.size();
    List<List<KeepRule>> keptByLists =
        n <= 16 ? new ArrayList<>(Collections.nCopies(1 << n, null)) : null;
    List<PruneDecision> decisions = new ArrayList<>(snapshots.size());
    for (int j = 0; j < snapshots.size(); j++) {
      FilesystemVersion s = snapshots.get(j);
      int which = 0;
      boolean keptByAny = false;
      for (int i = 0; i < n; i++) {
        if (keptByRule[i][j]) {
          keptByAny = true;
          which |= i < 16 ? 1 << i : 0;
        }
      }
      boolean isProtected = context.isProtected(s.guid());
      if (isProtected || keptByAny || rules.isEmpty()) {
        List<KeepRule> keptBy;
        if (keptByLists == null) {
          keptBy = keptBy(rules, keptByRule, j);
        } else {
          keptBy = keptByLists.get(which);
          if (keptBy == null) {
            keptBy = keptBy(rules, keptByRule, j);
            keptByLists.set(which, keptBy);
          }
        }
        decisions.add(new PruneDecision.Keep(s, keptBy, isProtected));
      } else {
        decisions.add(new PruneDecision.Destroy(s));
      }
    }
    return new PrunePlan(decisions);
  }

  /** ZFS names snapshots uniquely; a listing that does not is refused (sorted: no hash set). */
  private static void checkUniqueNames(List<FilesystemVersion> snapshots) {
    String[] names = new String[snapshots.size()];
    for (int i = 0; i < names.length; i++) {
      names[i] = snapshots.get(i).name();
    }
    Arrays.sort(names);
    for (int i = 1; i < names.length; i++) {
      if (names[i].equals(names[i - 1])) {
        throw new IllegalArgumentException("duplicate snapshot name '@" + names[i] + "'");
      }
    }
  }

  private static List<KeepRule> keptBy(List<KeepRule> rules, boolean[][] keptByRule, int j) {
    List<KeepRule> out = new ArrayList<>(rules.size());
    for (int i = 0; i < rules.size(); i++) {
      if (keptByRule[i][j]) {
        out.add(rules.get(i));
      }
    }
    return List.copyOf(out);
  }

  /**
   * The incremental base: the newest (by createtxg on the sender) snapshot whose guid the receiver
   * also has as a snapshot. Bookmarks on either side do not count.
   */
  public static Optional<FilesystemVersion> incrementalBase(
      List<FilesystemVersion> sender, List<FilesystemVersion> receiver) {
    Set<Long> receiverGuids = new HashSet<>();
    for (FilesystemVersion r : receiver) {
      if (r.isSnapshot()) {
        receiverGuids.add(r.guid());
      }
    }
    return sender.stream()
        .filter(FilesystemVersion::isSnapshot)
        .filter(s -> receiverGuids.contains(s.guid()))
        .max(BY_TXG);
  }
}
