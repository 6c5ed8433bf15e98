package org.zrepl.domain.replication;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.zrepl.domain.version.FilesystemVersion;

/**
 * Decides what to replicate for one filesystem (zrepl's {@code IncrementalPath}, plus the initial
 * replication and conflict-resolution policies).
 *
 * <p>Versions are matched by guid only (a received snapshot keeps the sender's guid but may be
 * renamed) and ordered by createtxg within their own side (received snapshots get the receiver's
 * createtxg). The receiver's bookmarks play no part.
 *
 * <ol>
 *   <li>Receiver has no snapshot: initial replication per {@link InitialReplication} over the
 *       sender snapshots the filter accepts.
 *   <li>Otherwise the common ancestor is the receiver's newest snapshot whose guid is among the
 *       sender's snapshots or bookmarks (the sender's snapshot is preferred to its bookmark).
 *   <li>Receiver snapshots newer than it mean the receiver diverged: a {@link Conflict.Diverged},
 *       or a rollback when the policy's rule accepts every one of them.
 *   <li>The steps go from the common version through every filtered sender snapshot with a greater
 *       createtxg, oldest first. Of several snapshots created in the same txg only the last (by
 *       name) is sent: ZFS cannot send between snapshots of the same txg.
 * </ol>
 */
public final class ReplicationPlanner {

  /** createtxg, then bookmark before snapshot, then name: zrepl's order, made total. */
  static final Comparator<FilesystemVersion> ORDER =
      (a, b) -> {
        int c = Long.compare(a.createTxg(), b.createTxg());
        if (c == 0) {
          c = Boolean.compare(a.isSnapshot(), b.isSnapshot());
        }
        return c != 0 ? c : a.name().compareTo(b.name());
      };

  private ReplicationPlanner() {}

  /**
   * Plans the replication of one filesystem.
   *
   * @param sender the sender's snapshots and bookmarks, in any order
   * @param receiver the receiver's versions, in any order; empty if the filesystem does not exist
   * @param policy initial replication, snapshot filter and conflict resolution
   */
  public static ReplicationPlan plan(
      List<FilesystemVersion> sender, List<FilesystemVersion> receiver, PlanningPolicy policy) {
    List<FilesystemVersion> senderVersions = sorted(sender);
    List<FilesystemVersion> receiverSnapshots = snapshots(sorted(receiver));
    List<FilesystemVersion> senderSnapshots = snapshots(senderVersions);
    List<FilesystemVersion> candidates = new ArrayList<>(senderSnapshots.size());
    for (FilesystemVersion v : senderSnapshots) {
      if (policy.snapshotFilter().test(v.name())) {
        candidates.add(v);
      }
    }
    int excluded = senderSnapshots.size() - candidates.size();

    if (receiverSnapshots.isEmpty()) {
      return initial(candidates, excluded, policy.initialReplication());
    }

    long[] senderGuids = new long[senderVersions.size()];
    for (int i = 0; i < senderGuids.length; i++) {
      senderGuids[i] = senderVersions.get(i).guid();
    }
    Arrays.sort(senderGuids);
    int commonIndex = receiverSnapshots.size() - 1;
    while (commonIndex >= 0
        && Arrays.binarySearch(senderGuids, receiverSnapshots.get(commonIndex).guid()) < 0) {
      commonIndex--;
    }
    if (commonIndex < 0) {
      return candidates.isEmpty()
          ? new Conflict.SenderHasNoSnapshots(excluded, receiverSnapshots)
          : new Conflict.NoCommonAncestor(senderVersions, receiverSnapshots);
    }

    FilesystemVersion commonOnReceiver = receiverSnapshots.get(commonIndex);
    FilesystemVersion commonOnSender =
        withGuidPreferringSnapshot(senderVersions, commonOnReceiver.guid());
    List<Step> steps = path(commonOnSender, candidates);
    List<FilesystemVersion> receiverOnly =
        receiverSnapshots.subList(commonIndex + 1, receiverSnapshots.size());
    if (!receiverOnly.isEmpty()) {
      if (receiverOnly.stream().allMatch(v -> policy.mayRollBack(v.name()))) {
        return new ReplicationPlan.RollbackThenIncremental(commonOnReceiver, receiverOnly, steps);
      }
      return new Conflict.Diverged(
          commonOnReceiver, after(commonOnSender, senderSnapshots), receiverOnly);
    }
    if (steps.isEmpty()) {
      return new ReplicationPlan.UpToDate(commonOnReceiver);
    }
    return new ReplicationPlan.Incremental(steps);
  }

  /**
   * The version with {@code guid}: its snapshot if there is one, else the last of its bookmarks in
   * {@code versions}' order.
   */
  private static FilesystemVersion withGuidPreferringSnapshot(
      List<FilesystemVersion> versions, long guid) {
    FilesystemVersion found = null;
    for (FilesystemVersion v : versions) {
      if (v.guid() == guid) {
        if (v.isSnapshot()) {
          return v;
        }
        found = v;
      }
    }
    return Objects.requireNonNull(found, "no version with the guid");
  }

  private static ReplicationPlan initial(
      List<FilesystemVersion> candidates, int excluded, InitialReplication policy) {
    if (candidates.isEmpty()) {
      return new Conflict.SenderHasNoSnapshots(excluded, List.of());
    }
    return switch (policy) {
      case FAIL -> new Conflict.InitialReplicationRefused(candidates);
      case MOST_RECENT ->
          new ReplicationPlan.Initial(List.of(Step.full(candidates.get(candidates.size() - 1))));
      case ALL -> {
        FilesystemVersion first = candidates.get(0);
        List<Step> steps = new ArrayList<>();
        steps.add(Step.full(first));
        steps.addAll(path(first, candidates));
        yield new ReplicationPlan.Initial(steps);
      }
    };
  }

  /** Steps from {@code from} through every candidate with a greater createtxg. */
  private static List<Step> path(FilesystemVersion from, List<FilesystemVersion> candidates) {
    List<FilesystemVersion> tos = new ArrayList<>();
    for (FilesystemVersion c : candidates) {
      if (c.createTxg() <= from.createTxg()) {
        continue;
      }
      if (!tos.isEmpty() && tos.get(tos.size() - 1).createTxg() == c.createTxg()) {
        tos.set(tos.size() - 1, c); // same txg: keep the last by name
      } else {
        tos.add(c);
      }
    }
    List<Step> steps = new ArrayList<>(tos.size());
    FilesystemVersion prev = from;
    for (FilesystemVersion to : tos) {
      steps.add(Step.incremental(prev, to));
      prev = to;
    }
    return steps;
  }

  private static List<FilesystemVersion> after(
      FilesystemVersion common, List<FilesystemVersion> snapshots) {
    List<FilesystemVersion> out = new ArrayList<>();
    for (FilesystemVersion v : snapshots) {
      if (v.createTxg() > common.createTxg()) {
        out.add(v);
      }
    }
    return out;
  }

  static List<FilesystemVersion> sorted(List<FilesystemVersion> versions) {
    List<FilesystemVersion> out = new ArrayList<>(versions);
    out.sort(ORDER);
    return out;
  }

  private static List<FilesystemVersion> snapshots(List<FilesystemVersion> versions) {
    List<FilesystemVersion> out = new ArrayList<>(versions.size());
    for (FilesystemVersion v : versions) {
      if (v.isSnapshot()) {
        out.add(v);
      }
    }
    return out;
  }
}
