package org.zrepl.zfs.fake;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.zrepl.domain.dataset.DatasetPath;

/** The mutable state of the fake; only ever touched while holding the {@link InMemoryZfs} lock. */
final class FakeModel {

  private FakeModel() {}

  /** A pool: its transaction group counter grows with every change, like ZFS txgs. */
  static final class Pool {
    final String name;
    long txg = 1;

    Pool(String name) {
      this.name = name;
    }

    long nextTxg() {
      return ++txg;
    }
  }

  /** A filesystem. Its content is a flat map of file names to bytes. */
  static final class Dataset {
    final DatasetPath path;
    final long guid;
    final long createTxg;
    final Instant creation;
    Map<String, byte[]> files = new TreeMap<>();

    /**
     * The txg of the last change to the content (ZFS: the birth txg of the head's block pointer).
     * The filesystem is "modified since" a snapshot iff this is later than the snapshot's txg.
     */
    long birth;

    boolean mounted = true;

    /**
     * OpenZFS native encryption: the cipher ({@code "off"} when not encrypted), fixed at creation.
     * A child created below an encrypted filesystem inherits it, as in OpenZFS.
     */
    String encryption = "off";

    /** Whether the key is loaded ({@code keystatus=available}); false after a raw receive. */
    boolean keyLoaded = true;

    final Map<String, String> localProps = new TreeMap<>();
    final Map<String, String> receivedProps = new TreeMap<>();
    final Map<String, Snapshot> snapshots = new TreeMap<>();
    final Map<String, Bookmark> bookmarks = new TreeMap<>();

    /** State of an interrupted {@code zfs recv -s}, or null. */
    PartialReceive partial;

    /**
     * Created by an interrupted resumable full receive: exists, has a resume token, no snapshot.
     */
    boolean inconsistent;

    Dataset(DatasetPath path, long guid, long createTxg, Instant creation) {
      this.path = path;
      this.guid = guid;
      this.createTxg = createTxg;
      this.creation = creation;
      this.birth = createTxg;
    }

    boolean isEncrypted() {
      return !encryption.equals("off");
    }

    boolean modifiedSince(Snapshot s) {
      return birth > s.createTxg;
    }

    /** Snapshots ordered by createtxg. */
    List<Snapshot> snapshotsByTxg() {
      List<Snapshot> out = new ArrayList<>(snapshots.values());
      out.sort(Comparator.comparingLong((Snapshot s) -> s.createTxg));
      return out;
    }

    Optional<Snapshot> newestSnapshot() {
      List<Snapshot> all = snapshotsByTxg();
      return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    Optional<Snapshot> snapshotByGuid(long guid) {
      return snapshots.values().stream().filter(s -> s.guid == guid).findFirst();
    }
  }

  /** An immutable copy of a filesystem's content at one txg. */
  static final class Snapshot {
    final String name;
    final long guid;
    final long createTxg;
    final Instant creation;

    /** The filesystem's {@link Dataset#birth} when the snapshot was taken. */
    final long birth;

    final Map<String, byte[]> files;
    final Set<String> holds = new TreeSet<>();
    final Map<String, String> localProps = new TreeMap<>();

    Snapshot(
        String name,
        long guid,
        long createTxg,
        Instant creation,
        long birth,
        Map<String, byte[]> files) {
      this.name = name;
      this.guid = guid;
      this.createTxg = createTxg;
      this.creation = creation;
      this.birth = birth;
      this.files = copyFiles(files);
    }
  }

  /** A bookmark keeps the guid, createtxg and creation of its snapshot. */
  record Bookmark(String name, long guid, long createTxg, Instant creation) {}

  /**
   * What an interrupted resumable receive kept: the record header and the payload so far. The array
   * is never mutated after construction and never leaves the fake.
   */
  @SuppressWarnings("ArrayRecordComponent")
  record PartialReceive(FakeStreamFormat.Header header, byte[] payloadSoFar) {}

  static Map<String, byte[]> copyFiles(Map<String, byte[]> files) {
    Map<String, byte[]> copy = new TreeMap<>();
    files.forEach((k, v) -> copy.put(k, v.clone()));
    return copy;
  }
}
