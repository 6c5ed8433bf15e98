package org.zrepl.domain.replication;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The knobs of {@link ReplicationPlanner}.
 *
 * @param initialReplication what to send when the receiver has no snapshot
 * @param snapshotFilter which sender snapshots (by name, without {@code @}) are replicated; others
 *     are never a step's {@code to} (zrepl issue #403). Any sender version may still serve as the
 *     common ancestor.
 * @param rollbackRule when present, a diverged receiver is rolled back to the common snapshot if
 *     every receiver snapshot after it has a name this regex finds a match in; absent by default,
 *     so divergence is a {@link Conflict.Diverged}
 */
public record PlanningPolicy(
    InitialReplication initialReplication,
    Predicate<String> snapshotFilter,
    Optional<Pattern> rollbackRule) {

  public PlanningPolicy {
    Objects.requireNonNull(initialReplication, "initialReplication");
    Objects.requireNonNull(snapshotFilter, "snapshotFilter");
    Objects.requireNonNull(rollbackRule, "rollbackRule");
  }

  /** zrepl's defaults: {@code most_recent}, every snapshot, never roll back. */
  public static PlanningPolicy defaults() {
    return new PlanningPolicy(InitialReplication.MOST_RECENT, name -> true, Optional.empty());
  }

  public PlanningPolicy withInitialReplication(InitialReplication initial) {
    return new PlanningPolicy(initial, snapshotFilter, rollbackRule);
  }

  public PlanningPolicy withSnapshotFilter(Predicate<String> filter) {
    return new PlanningPolicy(initialReplication, filter, rollbackRule);
  }

  /**
   * Replicates only snapshots whose name the regex finds a match in; like zrepl's regex keep rule,
   * the regex is not anchored, so write {@code ^zrepl_} to match a prefix.
   */
  public PlanningPolicy withSnapshotFilter(Pattern regex) {
    return withSnapshotFilter(regex.asPredicate());
  }

  public PlanningPolicy withRollbackRule(Pattern regex) {
    return new PlanningPolicy(initialReplication, snapshotFilter, Optional.of(regex));
  }

  boolean mayRollBack(String receiverSnapshotName) {
    return rollbackRule.map(p -> p.matcher(receiverSnapshotName).find()).orElse(false);
  }
}
