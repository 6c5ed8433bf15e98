package org.zrepl.domain.replication;

import java.util.List;
import java.util.Objects;
import org.zrepl.domain.version.FilesystemVersion;

/**
 * A plan that cannot be carried out without a person deciding something. Each kind carries the
 * versions its message names. Version lists are sorted by createtxg, oldest first.
 */
public sealed interface Conflict extends ReplicationPlan
    permits Conflict.NoCommonAncestor,
        Conflict.Diverged,
        Conflict.SenderHasNoSnapshots,
        Conflict.InitialReplicationRefused {

  /**
   * The receiver has snapshots, but none of them has the guid of a sender snapshot or bookmark.
   *
   * @param senderVersions the sender's snapshots and bookmarks
   * @param receiverVersions the receiver's snapshots
   */
  record NoCommonAncestor(
      List<FilesystemVersion> senderVersions, List<FilesystemVersion> receiverVersions)
      implements Conflict {
    public NoCommonAncestor {
      senderVersions = List.copyOf(senderVersions);
      receiverVersions = List.copyOf(receiverVersions);
    }

    @Override
    public String describe() {
      return "no common snapshot: the receiver's snapshots ("
          + StepChains.names(receiverVersions)
          + ") share no guid with the sender's snapshots and bookmarks ("
          + StepChains.names(senderVersions)
          + "); destroy the receiver's filesystem or replicate it to another place";
    }
  }

  /**
   * The receiver has snapshots newer than the newest snapshot it shares with the sender.
   *
   * @param common the newest common snapshot, named as on the receiver
   * @param senderOnlyAfterCommon the sender's snapshots after it
   * @param receiverOnlyAfterCommon the receiver's snapshots after it; never empty
   */
  record Diverged(
      FilesystemVersion common,
      List<FilesystemVersion> senderOnlyAfterCommon,
      List<FilesystemVersion> receiverOnlyAfterCommon)
      implements Conflict {
    public Diverged {
      Objects.requireNonNull(common, "common");
      senderOnlyAfterCommon = List.copyOf(senderOnlyAfterCommon);
      receiverOnlyAfterCommon = List.copyOf(receiverOnlyAfterCommon);
      if (receiverOnlyAfterCommon.isEmpty()) {
        throw new IllegalArgumentException(
            "a diverged receiver has snapshots after the common one");
      }
    }

    @Override
    public String describe() {
      return "receiver diverged after the common snapshot "
          + common.relativeName()
          + ": receiver-only snapshots "
          + StepChains.names(receiverOnlyAfterCommon)
          + ", sender-only snapshots "
          + StepChains.names(senderOnlyAfterCommon)
          + "; roll the receiver back to "
          + common.relativeName()
          + " (zfs rollback -r) or configure a conflict-resolution rule";
    }
  }

  /**
   * The sender has no snapshot that could be replicated, and the receiver has no snapshot in common
   * with it.
   *
   * @param excludedByFilter how many sender snapshots the snapshot filter excluded
   * @param receiverVersions the receiver's snapshots
   */
  record SenderHasNoSnapshots(int excludedByFilter, List<FilesystemVersion> receiverVersions)
      implements Conflict {
    public SenderHasNoSnapshots {
      if (excludedByFilter < 0) {
        throw new IllegalArgumentException(
            "excludedByFilter must not be negative, got " + excludedByFilter);
      }
      receiverVersions = List.copyOf(receiverVersions);
    }

    @Override
    public String describe() {
      return "sender has no snapshots to replicate"
          + (excludedByFilter == 0
              ? ""
              : " (" + excludedByFilter + " excluded by the snapshot filter)")
          + "; receiver has "
          + StepChains.names(receiverVersions);
    }
  }

  /**
   * The receiver has no snapshot and {@code initial_replication} is {@code fail}.
   *
   * @param senderSnapshots the sender snapshots an initial replication would choose from
   */
  record InitialReplicationRefused(List<FilesystemVersion> senderSnapshots) implements Conflict {
    public InitialReplicationRefused {
      senderSnapshots = List.copyOf(senderSnapshots);
    }

    @Override
    public String describe() {
      return "receiver has no snapshots and initial_replication is 'fail'; sender has "
          + StepChains.names(senderSnapshots)
          + "; replicate one manually or set initial_replication to most_recent or all";
    }
  }
}
