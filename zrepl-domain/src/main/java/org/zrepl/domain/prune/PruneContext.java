package org.zrepl.domain.prune;

import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the keep rules and the planner need to know beyond the snapshot list of one filesystem.
 *
 * @param cursor the sender's replication cursor, if known; {@code not_replicated} keeps every
 *     snapshot when it is absent
 * @param protectedGuids guids of snapshots that must survive whatever the rules say (the
 *     incremental base both sides share); matched by guid so the same set serves both sides
 * @param everyTargetCursor the oldest replication cursor among every target this sender knows of
 *     for the filesystem (this job's and the other jobs' or pullers' cursors), for {@code
 *     not_replicated} with {@code targets: all}; empty if no target's cursor is known
 */
public record PruneContext(
    Optional<ReplicationCursor> cursor,
    Set<Long> protectedGuids,
    Optional<ReplicationCursor> everyTargetCursor) {

  public PruneContext {
    Objects.requireNonNull(cursor, "cursor");
    Objects.requireNonNull(everyTargetCursor, "everyTargetCursor");
    protectedGuids = Set.copyOf(protectedGuids);
  }

  /** A context whose only known target is this job: every target's cursor is {@code cursor}. */
  public PruneContext(Optional<ReplicationCursor> cursor, Set<Long> protectedGuids) {
    this(cursor, protectedGuids, cursor);
  }

  /** No cursor known, nothing protected. */
  public static PruneContext none() {
    return new PruneContext(Optional.empty(), Set.of());
  }

  public static PruneContext withCursor(ReplicationCursor cursor) {
    return new PruneContext(Optional.of(cursor), Set.of());
  }

  /** This context, additionally protecting the snapshots with the given guids. */
  public PruneContext protecting(Set<Long> guids) {
    Set<Long> all = new HashSet<>(protectedGuids);
    all.addAll(guids);
    return new PruneContext(cursor, all, everyTargetCursor);
  }

  /** This context with {@code everyTargetCursor} as the oldest cursor of every target. */
  public PruneContext withEveryTargetCursor(Optional<ReplicationCursor> everyTargetCursor) {
    return new PruneContext(cursor, protectedGuids, everyTargetCursor);
  }

  public boolean isProtected(long guid) {
    return protectedGuids.contains(guid);
  }
}
