package org.zrepl.port.endpoint;

import java.io.InputStream;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.version.FilesystemVersion;

/**
 * The receiving side of a replication (zrepl's {@code endpoint.Receiver}). Filesystems are always
 * named as on the sender; the receiver maps them to its own names (a mapping, or {@code
 * root_fs/<identity>/...}) and creates missing parents as placeholders. Every method may throw an
 * {@link EndpointException}.
 */
public interface Receiver {

  /** The guarantees this receiver provides; see {@link Guarantee}. Cheap to call. */
  Set<Guarantee> guarantees();

  /**
   * What the receiver has for each sender filesystem, in a constant number of listings. Every given
   * filesystem appears in the result. A filesystem the receiver will not accept (unmapped) throws
   * {@link FilesystemNotFoundException}.
   */
  Map<DatasetPath, ReceiverFilesystem> listFilesystems(Collection<DatasetPath> senderFilesystems);

  /**
   * The snapshots and bookmarks of each given filesystem (which must exist on the receiver), in one
   * listing, keyed by the sender's name.
   */
  Map<DatasetPath, List<FilesystemVersion>> listVersions(Collection<DatasetPath> senderFilesystems);

  /** The token of an interrupted resumable receive into the filesystem, if there is one. */
  Optional<String> resumeToken(DatasetPath senderFilesystem);

  /**
   * Receives one step's stream. Creates missing parents as placeholders, turns a placeholder into a
   * replica when the filesystem's own first snapshot arrives, checks the received snapshot's guid
   * and moves the last-received hold to it. Reads {@code stream} to its end unless it fails; does
   * not close it.
   */
  void receive(ReceiveStepRequest request, InputStream stream);

  /**
   * Destroys the given snapshots of the filesystem (releasing this job's holds on them first). Each
   * is checked by guid; one the receiver does not have with that guid throws {@link
   * VersionMismatchException} and nothing is destroyed.
   */
  void destroySnapshots(DatasetPath senderFilesystem, List<FilesystemVersion> snapshots);

  /**
   * Rolls the filesystem back to {@code to} ({@code zfs rollback -r}), destroying exactly {@code
   * destroyed}, the snapshots after it, and any change since. Every version is checked by guid, and
   * the snapshots after {@code to} must be exactly {@code destroyed}; otherwise {@link
   * VersionMismatchException} and nothing happens. Used by conflict resolution only.
   */
  void rollback(
      DatasetPath senderFilesystem, FilesystemVersion to, List<FilesystemVersion> destroyed);
}
