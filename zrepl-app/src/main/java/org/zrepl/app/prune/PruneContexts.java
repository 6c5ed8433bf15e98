package org.zrepl.app.prune;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.zrepl.app.endpoint.EndpointNames;
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
