package org.zrepl.app.prune;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.zfs.DatasetInfo;
import org.zrepl.port.zfs.Zfs;

/**
 * One side's snapshots as pruning sees them: the local {@link Zfs}, or a {@code Sender} or {@code
 * Receiver} port (local or over the RPC; see {@link ReplicationPruning}). Failures are {@code
 * ZfsException}s for the local ZFS and {@code EndpointException}s for a port.
 */
public interface PruneEndpoint {

  /** The filesystems of this side that pruning may select from. */
  List<DatasetPath> filesystems();

  /** The snapshots and bookmarks of each given filesystem, in one listing. */
  Map<DatasetPath, List<FilesystemVersion>> listVersions(Collection<DatasetPath> filesystems);

  /** Destroys the given snapshots of one filesystem, in one call where the side can batch. */
  void destroy(DatasetPath filesystem, List<FilesystemVersion> snapshots);

  /** How this side's people know the filesystem (a receiver's own name); for output only. */
  default DatasetPath localName(DatasetPath filesystem) {
    return filesystem;
  }

  /** Every dataset of the local ZFS; snapshots are destroyed by name in one batch. */
  static PruneEndpoint of(Zfs zfs) {
    Objects.requireNonNull(zfs, "zfs");
    return new PruneEndpoint() {
      @Override
      public List<DatasetPath> filesystems() {
        return zfs.listDatasets(List.of(), Set.of()).stream().map(DatasetInfo::path).toList();
      }

      @Override
      public Map<DatasetPath, List<FilesystemVersion>> listVersions(
          Collection<DatasetPath> filesystems) {
        return filesystems.isEmpty() ? Map.of() : zfs.listVersions(filesystems);
      }

      @Override
      public void destroy(DatasetPath filesystem, List<FilesystemVersion> snapshots) {
        zfs.destroySnapshots(filesystem, snapshots.stream().map(FilesystemVersion::name).toList());
      }

      @Override
      public String toString() {
        return "local ZFS";
      }
    };
  }
}
