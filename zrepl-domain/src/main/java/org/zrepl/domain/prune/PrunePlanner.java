package org.zrepl.domain.prune;

import java.util.ArrayList;
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
    List<FilesystemVersion> snapshots =
        versions.stream().filter(FilesystemVersion::isSnapshot).sorted(BY_TXG).toList();
    Set<String> names = new HashSet<>();
    for (FilesystemVersion s : snapshots) {
      if (!names.add(s.name())) {
        throw new IllegalArgumentException("duplicate snapshot name '" + s.relativeName() + "'");
      }
    }
    List<Set<FilesystemVersion>> rejectedByRule = new ArrayList<>();
    for (KeepRule rule : rules) {
      rejectedByRule.add(new HashSet<>(rule.notKept(snapshots, context)));
    }
    List<PruneDecision> decisions = new ArrayList<>();
    for (FilesystemVersion s : snapshots) {
      List<KeepRule> keptBy = new ArrayList<>();
      for (int i = 0; i < rules.size(); i++) {
        if (!rejectedByRule.get(i).contains(s)) {
          keptBy.add(rules.get(i));
        }
      }
      boolean isProtected = context.isProtected(s.guid());
      if (isProtected || !keptBy.isEmpty() || rules.isEmpty()) {
        decisions.add(new PruneDecision.Keep(s, keptBy, isProtected));
      } else {
        decisions.add(new PruneDecision.Destroy(s));
      }
    }
    return new PrunePlan(decisions);
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
