package org.zrepl.port.endpoint;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.version.FilesystemVersion;

/**
 * The sending side of a replication (zrepl's {@code endpoint.Sender}). Serves only the filesystems
 * its job selects; asking about another one throws {@link FilesystemNotFoundException}. Every
 * method may throw an {@link EndpointException}.
 */
public interface Sender {

  /** The guarantees this sender provides; see {@link Guarantee}. Cheap to call. */
  Set<Guarantee> guarantees();

  /** The filesystems this sender serves, sorted by path. One listing however many there are. */
  List<SenderFilesystem> listFilesystems();

  /**
   * Snapshots and bookmarks of each given filesystem, in one listing. Bookmarks include the
   * replication cursor, so the planner can use it as an incremental source.
   */
  Map<DatasetPath, List<FilesystemVersion>> listVersions(Collection<DatasetPath> filesystems);

  /**
   * Starts sending one step. Takes the step holds where supported; they are released by {@link
   * #sendCompleted}. The caller must close the response's stream (see {@link SendStepResponse}).
   */
  SendStepResponse send(SendStepRequest request);

  /** The size of the step's stream ({@code zfs send -nP}) where this sender can estimate it. */
  OptionalLong estimateSize(SendStepRequest request);

  /**
   * Ends a step: releases its step holds and, if it was {@linkplain
   * SendCompletedRequest#replicated() replicated}, moves the replication cursor to its {@code to}
   * snapshot and destroys the job's older cursors of the filesystem.
   */
  void sendCompleted(SendCompletedRequest request);

  /**
   * Destroys the given snapshots of a filesystem this sender serves (pruning the sending side).
   * Each is checked by guid; one the sender does not have with that guid throws {@link
   * VersionMismatchException} and nothing is destroyed. Step holds are not released: a snapshot a
   * running step uses stays, and the endpoint's ZFS error says so. A snapshot that is another
   * target's incremental base on a ZFS without bookmarks is kept: the others are destroyed, then
   * {@link SnapshotsKeptException} names the kept ones and their targets.
   */
  void destroySnapshots(DatasetPath filesystem, List<FilesystemVersion> snapshots);
}
