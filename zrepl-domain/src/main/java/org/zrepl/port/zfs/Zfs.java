package org.zrepl.port.zfs;

import java.io.InputStream;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.version.FilesystemVersion;

/**
 * What zrepl needs from ZFS. Every method throws a {@link ZfsException} (or a subtype) when ZFS
 * refuses, carrying the command line, exit code and stderr (the fake makes up an equivalent command
 * line). Operations the installed ZFS cannot do throw {@link UnsupportedZfsFeatureException};
 * callers check {@link #capabilities()} first.
 *
 * <p>Names of snapshots and bookmarks are passed relative to their filesystem and without the
 * delimiter ({@code "zrepl_1"}), except where a method says it takes a version reference ({@code
 * "@zrepl_1"} or {@code "#cursor"}).
 */
public interface Zfs {

  /** What the installed ZFS supports. Detected once; cheap to call. */
  ZfsCapabilities capabilities();

  /**
   * Filesystems and volumes at and below each root, each with the requested properties (missing
   * properties, e.g. an unset user property, are absent from the map). Snapshots and bookmarks are
   * not listed. An empty {@code roots} lists every pool. A root that does not exist throws {@link
   * DatasetNotFoundException}. The result is sorted by path and contains no duplicates.
   */
  List<DatasetInfo> listDatasets(Collection<DatasetPath> roots, Set<String> properties);

  /**
   * {@link #listDatasets} and, from the same command, the versions of every listed dataset (as
   * {@link #listVersions(Collection, Set)} with {@code snapshotProperties}), where the adapter's
   * dataset listing visits every snapshot anyway: zfs-fuse's {@code zfs get} cannot filter by type,
   * so its {@code zfs get -r} of the datasets already prints each snapshot, and it has no
   * bookmarks. Empty where one command for both would cost more than the dataset listing alone
   * (OpenZFS lists datasets with {@code -t filesystem,volume}); callers then list versions
   * separately, and only of the filesystems they need. This default is empty.
   */
  default Optional<DatasetTree> listDatasetsWithVersions(
      Collection<DatasetPath> roots, Set<String> properties, Set<String> snapshotProperties) {
    return Optional.empty();
  }

  /**
   * Snapshots and bookmarks of each given filesystem (not of its children), each list sorted by
   * createtxg, then snapshots before bookmarks, then name. Runs a constant number of processes
   * however many filesystems are given. A missing filesystem throws {@link
   * DatasetNotFoundException}.
   */
  Map<DatasetPath, List<FilesystemVersion>> listVersions(Collection<DatasetPath> filesystems);

  /** Snapshots and bookmarks of one filesystem; see {@link #listVersions(Collection)}. */
  default List<FilesystemVersion> listVersions(DatasetPath filesystem) {
    return listVersions(List.of(filesystem)).get(filesystem);
  }

  /**
   * As {@link #listVersions(Collection)}, and with the requested {@code properties} of each
   * filesystem itself and of each of its snapshots (e.g. {@code referenced}, the size of a full
   * send), in one process where the adapter can ({@code zfs get -d 1}); with no properties, exactly
   * {@link #listVersions(Collection)}. This default asks per filesystem and per snapshot.
   */
  default Map<DatasetPath, VersionListing> listVersions(
      Collection<DatasetPath> filesystems, Set<String> properties) {
    if (properties.isEmpty()) {
      return VersionListing.of(listVersions(filesystems));
    }
    Map<DatasetPath, VersionListing> out = new java.util.LinkedHashMap<>();
    listVersions(filesystems)
        .forEach(
            (fs, versions) -> {
              Map<String, Map<String, Property>> snapshots = new java.util.HashMap<>();
              for (FilesystemVersion v : versions) {
                if (v.isSnapshot()) {
                  snapshots.put(v.name(), getProperties(v.fullName(fs), properties));
                }
              }
              out.put(
                  fs,
                  new VersionListing(
                      versions, getProperties(fs.toString(), properties), snapshots));
            });
    return out;
  }

  /**
   * Whether the filesystem or volume {@code fs} exists. This default asks for its {@code type}; a
   * decorator may know the answer without asking.
   */
  default boolean exists(DatasetPath fs) {
    try {
      getProperties(fs.toString(), Set.of("type"));
      return true;
    } catch (DatasetNotFoundException e) {
      return false;
    }
  }

  /**
   * Creates {@code fs@name} for every given filesystem. Where {@link
   * ZfsCapabilities#atomicMultiSnapshot()} holds, this is one atomic operation (all or none);
   * otherwise snapshots are taken one by one and the first failure is thrown after the others were
   * attempted.
   */
  void snapshot(Collection<DatasetPath> filesystems, String name);

  /**
   * Destroys the named snapshots of {@code fs} ({@code zfs destroy fs@a,b,c} where {@link
   * ZfsCapabilities#batchDestroy()} holds). A held snapshot throws {@link DatasetBusyException}; a
   * missing one {@link DatasetNotFoundException}.
   */
  void destroySnapshots(DatasetPath fs, Collection<String> names);

  /** Destroys {@code fs#name}. */
  void destroyBookmark(DatasetPath fs, String name);

  /** Destroys a filesystem or volume, with {@code recursive} its children and snapshots too. */
  void destroyDataset(DatasetPath fs, boolean recursive);

  /**
   * Prepares {@code zfs send}. The caller reads {@link SendStream#data()} to its end, then calls
   * {@link SendStream#finish()}; closing early aborts the send. An adapter may start the command
   * only when the data is first asked for, or when a {@link #receive} of the same adapter takes it
   * over ({@link DirectSendSource}).
   */
  SendStream send(SendRequest request);

  /**
   * How many bytes {@code zfs send} would write for {@code request}, by a dry run ({@code zfs send
   * -nvP}); empty where the ZFS cannot estimate ({@link ZfsCapabilities#sendSizeEstimate()} is
   * false, as on zfs-fuse). Throws the same exceptions as {@link #send} for a request that cannot
   * be sent.
   */
  OptionalLong estimateSendSize(SendRequest request);

  /**
   * Decodes a {@code receive_resume_token} ({@code zfs send -nvt TOKEN} on OpenZFS). Throws a
   * {@link ZfsException} if the token is corrupt or cannot be decoded, and {@link
   * UnsupportedZfsFeatureException} where the ZFS has no resumable send.
   */
  ResumeTokenContents decodeResumeToken(String token);

  /**
   * Receives a stream into {@code target} (the full dataset name; the snapshot name comes from the
   * stream). Blocks until the stream is consumed and ZFS finished. A stream that ends early fails
   * with a {@link ZfsException}; with {@link ReceiveOptions#resumable()} ZFS then keeps the partial
   * state and the target gets a {@code receive_resume_token}.
   *
   * <p>If {@code stream} is a {@link DirectSendSource} whose send this adapter can connect to
   * directly (a kernel pipe between the two commands), the adapter takes the send over instead of
   * reading the stream, and reports the length through {@link DirectSend#received}.
   */
  void receive(DatasetPath target, InputStream stream, ReceiveOptions options);

  /** Discards the partial state of an interrupted resumable receive ({@code zfs recv -A}). */
  void abortResumableReceive(DatasetPath target);

  /** Creates a filesystem with properties; with {@code createParents} missing ancestors too. */
  void createFilesystem(DatasetPath path, Map<String, String> properties, boolean createParents);

  /**
   * The requested properties of a filesystem, volume or snapshot ({@code name} may be {@code
   * pool/fs@snap}). Properties that are not set at all are absent from the map.
   */
  Map<String, Property> getProperties(String name, Set<String> properties);

  void setProperty(DatasetPath dataset, String property, String value);

  /**
   * The requested properties of each of {@code datasets}, from ZFS itself: one {@code zfs get props
   * ds...} (no {@code -r}) where the ZFS takes several names, and never answered by a cache in
   * front of it, so that a read-modify-write of a property that other writers change starts from
   * what is there now. Properties not set at all are absent. A missing dataset throws {@link
   * DatasetNotFoundException}.
   */
  default Map<DatasetPath, Map<String, Property>> getPropertiesNow(
      Collection<DatasetPath> datasets, Set<String> properties) {
    Map<DatasetPath, Map<String, Property>> out = new java.util.LinkedHashMap<>();
    for (DatasetPath d : datasets) {
      out.put(d, getProperties(d.toString(), properties));
    }
    return out;
  }

  /**
   * Sets {@code property=value} on every one of {@code datasets}: one {@code zfs set property=value
   * ds...} where the ZFS takes several (every one does), else one by one. Every dataset is tried;
   * if any failed (missing, say), the others are set and a {@link ZfsException} names the failures.
   */
  default void setProperty(Collection<DatasetPath> datasets, String property, String value) {
    ZfsException first = null;
    for (DatasetPath d : datasets) {
      try {
        setProperty(d, property, value);
      } catch (ZfsException e) {
        first = ZfsException.first(first, e);
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /** {@code zfs inherit}: removes a locally set property. */
  void inheritProperty(DatasetPath dataset, String property);

  /**
   * {@code zfs hold tag fs@snapshot}. A second hold with the same tag throws {@link
   * DatasetExistsException}; a missing snapshot {@link DatasetNotFoundException}.
   */
  void hold(DatasetPath fs, String snapshot, String tag);

  /**
   * {@code zfs release tag fs@snapshot}. Releasing a tag that is not held (or from a missing
   * snapshot) throws {@link DatasetNotFoundException}.
   */
  void release(DatasetPath fs, String snapshot, String tag);

  /** The hold tags on {@code fs@snapshot}. */
  Set<String> holds(DatasetPath fs, String snapshot);

  /**
   * The hold tags on each of {@code snapshots} of {@code fs} (every given snapshot is a key). An
   * adapter may ask ZFS once for all ({@code zfs holds -H fs@a fs@b ...}); this default asks per
   * snapshot.
   */
  default Map<String, Set<String>> holds(DatasetPath fs, Collection<String> snapshots) {
    Map<String, Set<String>> out = new java.util.TreeMap<>();
    for (String s : snapshots) {
      out.put(s, holds(fs, s));
    }
    return out;
  }

  /** {@code zfs bookmark fs@snapshot fs#bookmark}. */
  void bookmark(DatasetPath fs, String snapshot, String bookmark);

  /**
   * {@code zfs rollback fs@snapshot}. Without {@code destroyLaterSnapshots}, rolling back past
   * later snapshots throws.
   */
  void rollback(DatasetPath fs, String snapshot, boolean destroyLaterSnapshots);
}
