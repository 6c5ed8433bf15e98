package org.zrepl.app.prune;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.zrepl.app.endpoint.EndpointNames;
import org.zrepl.app.endpoint.TargetCursors;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.prune.PruneContext;
import org.zrepl.domain.prune.PrunePlanner;
import org.zrepl.domain.prune.ReplicationCursor;
import org.zrepl.domain.version.FilesystemVersion;

/** Where the planner's context for one filesystem comes from: nothing, or the peer side. */
@FunctionalInterface
public interface PruneContexts {

  PruneContext contextFor(DatasetPath fs, List<FilesystemVersion> versions);

  /** No peer, no cursor: a snap job's side, or a side whose peer is unreachable. */
  static PruneContexts none() {
    return (fs, versions) -> PruneContext.none();
  }

  /**
   * The peer's versions of each filesystem (keyed by THIS side's path) protect the incremental base
   * (the newest snapshot both share); {@code cursors} (keyed likewise) feed {@code not_replicated}.
   * A filesystem the peer does not have protects nothing.
   */
  /**
   * A sending side of job {@code job}: its own replication cursor bookmark (found among each
   * filesystem's versions) feeds {@code not_replicated}, and the peer's versions, where known,
   * protect the incremental base as in {@link #peer}. Without a cursor bookmark (a ZFS without
   * bookmarks, such as zfs-fuse) but with the peer's versions known (a local job), the newest
   * snapshot the peer has is the cursor: everything up to it has been replicated.
   */
  static PruneContexts sender(String job, Map<DatasetPath, List<FilesystemVersion>> peerVersions) {
    return sender(job, peerVersions, TargetCursors.Lookup.none());
  }

  /**
   * As {@link #sender(String, Map)}, knowing the other targets too: every job's cursor bookmark and
   * every cursor {@code recorded} in {@link TargetCursors#PROPERTY} (a ZFS without bookmarks). The
   * recorded cursors' snapshots are protected (each is a target's incremental base), and the oldest
   * of all targets' cursors, this job's included, is {@code not_replicated}'s cursor with {@code
   * targets: all}.
   */
  static PruneContexts sender(
      String job,
      Map<DatasetPath, List<FilesystemVersion>> peerVersions,
      TargetCursors.Lookup recorded) {
    PruneContexts own = ownSender(job, peerVersions);
    return (fs, versions) -> {
      PruneContext c = own.contextFor(fs, versions);
      Map<String, Long> rec = recorded.recorded(fs, versions);
      return everyTarget(c, versions, rec).protecting(Set.copyOf(rec.values()));
    };
  }

  /**
   * {@code context} with the oldest cursor of every target: its own cursor, each job's cursor
   * bookmark among {@code versions}, and each {@code recorded} cursor whose snapshot is there.
   */
  static PruneContext everyTarget(
      PruneContext context, List<FilesystemVersion> versions, Map<String, Long> recorded) {
    if (context.cursor().isEmpty()) {
      // this job has replicated nothing of it yet: not replicated to every target
      return context.withEveryTargetCursor(Optional.empty());
    }
    List<ReplicationCursor> all = new ArrayList<>();
    all.add(context.cursor().get());
    for (FilesystemVersion v : versions) {
      if (v.isBookmark() && EndpointNames.anyCursor(v.name()).isPresent()) {
        all.add(new ReplicationCursor(v.guid(), v.createTxg()));
      }
      if (v.isSnapshot() && recorded.containsValue(v.guid())) {
        all.add(new ReplicationCursor(v.guid(), v.createTxg()));
      }
    }
    return context.withEveryTargetCursor(
        all.stream().min(Comparator.comparingLong(ReplicationCursor::createTxg)));
  }

  private static PruneContexts ownSender(
      String job, Map<DatasetPath, List<FilesystemVersion>> peerVersions) {
    EndpointNames names = EndpointNames.forJob(job);
    PruneContexts base = peer(peerVersions, Map.of());
    Map<DatasetPath, List<FilesystemVersion>> peer = Map.copyOf(peerVersions);
    return (fs, versions) -> {
      PruneContext c = base.contextFor(fs, versions);
      Optional<ReplicationCursor> cursor =
          versions.stream()
              .filter(FilesystemVersion::isBookmark)
              .filter(v -> names.cursorGuid(v.name()).isPresent())
              .max(Comparator.comparingLong(FilesystemVersion::createTxg))
              .map(v -> new ReplicationCursor(v.guid(), v.createTxg()))
              .or(() -> replicatedUpTo(versions, peer.get(fs)));
      return new PruneContext(cursor, c.protectedGuids());
    };
  }

  static PruneContexts peer(
      Map<DatasetPath, List<FilesystemVersion>> peerVersions,
      Map<DatasetPath, ReplicationCursor> cursors) {
    Map<DatasetPath, List<FilesystemVersion>> peer = Map.copyOf(peerVersions);
    Map<DatasetPath, ReplicationCursor> cur = Map.copyOf(cursors);
    return (fs, versions) -> {
      PruneContext base = new PruneContext(Optional.ofNullable(cur.get(fs)), Set.of());
      List<FilesystemVersion> other = peer.get(fs);
      if (other == null) {
        return base;
      }
      return PrunePlanner.incrementalBase(versions, other)
          .map(b -> base.protecting(Set.of(b.guid())))
          .orElse(base);
    };
  }

  private static Optional<ReplicationCursor> replicatedUpTo(
      List<FilesystemVersion> versions, List<FilesystemVersion> peerVersions) {
    if (peerVersions == null) {
      return Optional.empty();
    }
    return PrunePlanner.incrementalBase(versions, peerVersions)
        .map(b -> new ReplicationCursor(b.guid(), b.createTxg()));
  }
}
