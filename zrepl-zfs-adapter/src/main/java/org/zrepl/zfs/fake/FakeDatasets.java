package org.zrepl.zfs.fake;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.zfs.DatasetExistsException;
import org.zrepl.port.zfs.DatasetNotFoundException;
import org.zrepl.port.zfs.Property;
import org.zrepl.port.zfs.ZfsException;
import org.zrepl.zfs.fake.FakeModel.Bookmark;
import org.zrepl.zfs.fake.FakeModel.Dataset;
import org.zrepl.zfs.fake.FakeModel.Snapshot;

/**
 * Dataset, snapshot and bookmark operations of the fake; run under the {@link InMemoryZfs} lock.
 */
final class FakeDatasets {

  private static final Comparator<FilesystemVersion> ORDER =
      Comparator.comparingLong(FilesystemVersion::createTxg)
          .thenComparing(v -> v.isSnapshot() ? 0 : 1)
          .thenComparing(FilesystemVersion::name);

  private final FakeState s;

  FakeDatasets(FakeState s) {
    this.s = s;
  }

  void write(DatasetPath fs, String file, byte[] data) {
    Dataset d = s.datasets.get(fs);
    if (d == null || d.inconsistent) {
      throw new IllegalArgumentException("no filesystem '" + fs + "' to write '" + file + "' to");
    }
    if (FakeProperties.ofDataset(s, d, Set.of("readonly"), List.of("write"))
        .get("readonly")
        .value()
        .equals("on")) {
      throw new IllegalStateException("'" + fs + "' is readonly: cannot write '" + file + "'");
    }
    d.files.put(file, data.clone());
    d.birth = s.nextTxg(fs);
  }

  Optional<byte[]> read(DatasetPath fs, String file) {
    Dataset d = s.datasets.get(fs);
    if (d == null) {
      throw new IllegalArgumentException("no filesystem '" + fs + "' to read '" + file + "' from");
    }
    return Optional.ofNullable(d.files.get(file)).map(byte[]::clone);
  }

  List<FilesystemVersion> versions(Dataset d) {
    List<FilesystemVersion> out = new ArrayList<>();
    for (Snapshot x : d.snapshots.values()) {
      out.add(FilesystemVersion.snapshot(x.name, x.guid, x.createTxg, x.creation));
    }
    for (Bookmark b : d.bookmarks.values()) {
      out.add(FilesystemVersion.bookmark(b.name(), b.guid(), b.createTxg(), b.creation()));
    }
    out.sort(ORDER);
    return List.copyOf(out);
  }

  void snapshot(Collection<DatasetPath> filesystems, String name, Consumer<List<String>> start) {
    Set<DatasetPath> targets = new LinkedHashSet<>(filesystems);
    if (targets.isEmpty()) {
      return;
    }
    if (s.caps.atomicMultiSnapshot()) {
      List<String> argv = new ArrayList<>(List.of("zfs", "snapshot"));
      targets.forEach(t -> argv.add(t + "@" + name));
      start.accept(argv);
      checkName(argv, name);
      for (DatasetPath t : targets) {
        checkSnapshotPossible(argv, t, name);
      }
      if (targets.stream().map(DatasetPath::pool).distinct().count() > 1) {
        throw FakeState.failed(
            argv, "cannot create snapshots : snapshots must all be in the same pool");
      }
      // Atomic: all snapshots get the same txg, as in one lzc_snapshot call.
      long txg = s.nextTxg(targets.iterator().next());
      targets.forEach(t -> takeSnapshot(s.datasets.get(t), name, txg));
      return;
    }
    ZfsException first = null;
    for (DatasetPath t : targets) {
      List<String> argv = List.of("zfs", "snapshot", t + "@" + name);
      try {
        start.accept(argv);
        checkName(argv, name);
        checkSnapshotPossible(argv, t, name);
        takeSnapshot(s.datasets.get(t), name, s.nextTxg(t));
      } catch (ZfsException e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }

  private void checkSnapshotPossible(List<String> argv, DatasetPath t, String name) {
    Dataset d = s.datasets.get(t);
    if (d == null || d.inconsistent) {
      throw FakeState.notFound(argv, "create snapshot", t + "@" + name);
    }
    if (d.snapshots.containsKey(name)) {
      throw FakeState.exists(argv, "create snapshot", t + "@" + name);
    }
  }

  private void takeSnapshot(Dataset d, String name, long txg) {
    d.snapshots.put(name, new Snapshot(name, s.newGuid(), txg, s.now(), d.birth, d.files));
  }

  private static void checkName(List<String> argv, String name) {
    try {
      DatasetPath.checkComponent(name);
    } catch (IllegalArgumentException e) {
      throw FakeState.failed(argv, "invalid name '" + name + "': " + e.getMessage());
    }
  }

  void destroySnapshots(DatasetPath fs, Collection<String> names, Consumer<List<String>> start) {
    Set<String> wanted = new LinkedHashSet<>(names);
    if (wanted.isEmpty()) {
      return;
    }
    if (s.caps.batchDestroy()) {
      List<String> argv = List.of("zfs", "destroy", fs + "@" + String.join(",", wanted));
      start.accept(argv);
      Dataset d = s.require(argv, fs);
      // Quirk copied from OpenZFS: in a batch, names that do not exist are skipped silently;
      // only when none exists does zfs destroy fail.
      List<Snapshot> found = new ArrayList<>();
      wanted.stream().map(d.snapshots::get).filter(x -> x != null).forEach(found::add);
      if (found.isEmpty()) {
        throw new DatasetNotFoundException(
            argv,
            FakeState.EXIT_FAILURE,
            "could not find any snapshots to destroy; check snapshot names.\n");
      }
      // lzc_destroy_snaps is atomic: if one cannot go, none goes.
      for (Snapshot x : found) {
        if (!x.holds.isEmpty()) {
          throw FakeState.busy(argv, "destroy snapshot", fs + "@" + x.name);
        }
      }
      found.forEach(x -> d.snapshots.remove(x.name));
      s.nextTxg(fs);
      return;
    }
    ZfsException first = null;
    for (String name : wanted) {
      List<String> argv = List.of("zfs", "destroy", fs + "@" + name);
      try {
        start.accept(argv);
        Dataset d = s.require(argv, fs);
        Snapshot x = d.snapshots.get(name);
        if (x == null) {
          throw FakeState.notFound(argv, fs + "@" + name);
        }
        if (!x.holds.isEmpty()) {
          throw FakeState.busy(argv, "destroy", fs + "@" + name);
        }
        d.snapshots.remove(name);
        s.nextTxg(fs);
      } catch (ZfsException e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }

  void destroyBookmark(DatasetPath fs, String name, List<String> argv) {
    if (!s.caps.bookmarks()) {
      throw FakeState.unsupported(argv, s.caps, "invalid dataset name '" + fs + "#" + name + "'");
    }
    Dataset d = s.require(argv, fs);
    if (d.bookmarks.remove(name) == null) {
      throw new DatasetNotFoundException(
          argv, FakeState.EXIT_FAILURE, "bookmark '" + fs + "#" + name + "' does not exist.\n");
    }
    s.nextTxg(fs);
  }

  void destroyDataset(DatasetPath fs, boolean recursive, List<String> argv) {
    Dataset d = s.require(argv, fs);
    if (fs.isRoot() && !recursive) {
      throw FakeState.failed(
          argv,
          "cannot destroy '"
              + fs
              + "': operation does not apply to pools\nuse 'zfs destroy -r "
              + fs
              + "' to destroy all datasets in the pool\nuse 'zpool destroy "
              + fs
              + "' to destroy the pool itself");
    }
    List<Dataset> subtree = s.subtree(fs);
    if (!recursive && (subtree.size() > 1 || !d.snapshots.isEmpty() || !d.bookmarks.isEmpty())) {
      StringBuilder list = new StringBuilder();
      subtree.stream().skip(1).forEach(c -> list.append(c.path).append('\n'));
      d.snapshotsByTxg().forEach(x -> list.append(fs).append('@').append(x.name).append('\n'));
      d.bookmarks.keySet().forEach(b -> list.append(fs).append('#').append(b).append('\n'));
      throw FakeState.failed(
          argv,
          "cannot destroy '"
              + fs
              + "': filesystem has children\nuse '-r' to destroy the following datasets:\n"
              + list);
    }
    Optional<String> held =
        subtree.stream()
            .flatMap(
                x ->
                    x.snapshots.values().stream()
                        .filter(snap -> !snap.holds.isEmpty())
                        .map(snap -> x.path + "@" + snap.name))
            .findFirst();
    if (held.isPresent()) {
      if (s.zfsFuse) {
        destroyWhatIsNotHeld(subtree);
      }
      // OpenZFS destroys the snapshots as one atomic batch first, so nothing goes.
      throw FakeState.busy(argv, "destroy", held.get());
    }
    for (Dataset x : subtree) {
      if (x.path.isRoot()) {
        // zfs destroy -r pool empties the pool but keeps its root filesystem.
        x.snapshots.clear();
        x.bookmarks.clear();
      } else {
        s.datasets.remove(x.path);
      }
    }
    s.nextTxg(fs);
  }

  /**
   * Quirk of zfs-fuse's {@code zfs destroy -r} meeting a held snapshot: it destroys everything it
   * can (other snapshots, datasets without held snapshots below them) and then fails.
   */
  private void destroyWhatIsNotHeld(List<Dataset> subtree) {
    for (int i = subtree.size() - 1; i >= 0; i--) {
      Dataset x = subtree.get(i);
      x.snapshots.values().removeIf(snap -> snap.holds.isEmpty());
      x.bookmarks.clear();
      if (x.snapshots.isEmpty() && !s.hasChildren(x.path) && !x.path.isRoot()) {
        s.datasets.remove(x.path);
      }
    }
    s.nextTxg(subtree.get(0).path);
  }

  void createFilesystem(
      DatasetPath path, Map<String, String> properties, boolean parents, List<String> argv) {
    if (!s.pools.containsKey(path.pool())) {
      throw new DatasetNotFoundException(
          argv,
          FakeState.EXIT_FAILURE,
          "cannot create '" + path + "': no such pool '" + path.pool() + "'\n");
    }
    if (s.datasets.containsKey(path)) {
      if (parents) {
        // zfs create -p: "If the target filesystem already exists, the operation completes
        // successfully" (and the -o properties are ignored).
        return;
      }
      throw new DatasetExistsException(
          argv, FakeState.EXIT_FAILURE, "cannot create '" + path + "': dataset already exists\n");
    }
    Map<String, String> props = new TreeMap<>(properties);
    String encryption = props.remove("encryption");
    props.remove("keyformat");
    props.remove("keylocation");
    for (String p : properties.keySet()) {
      if (FakeProperties.ENCRYPTION.contains(p) && !p.equals("keystatus")) {
        FakeProperties.checkKnown(s, argv, p); // zfs-fuse: invalid property
      } else if (!FakeProperties.isSettable(p)) {
        FakeProperties.checkKnown(s, argv, p);
        throw FakeState.failed(argv, "cannot create '" + path + "': '" + p + "' is readonly");
      }
    }
    List<DatasetPath> missing = new ArrayList<>();
    for (DatasetPath a : path.ancestors()) {
      if (!s.datasets.containsKey(a)) {
        missing.add(a);
      }
    }
    if (!missing.isEmpty() && !parents) {
      throw new DatasetNotFoundException(
          argv, FakeState.EXIT_FAILURE, "cannot create '" + path + "': parent does not exist\n");
    }
    if (encryption != null) {
      checkEncryption(path, encryption, properties, argv);
    }
    missing.forEach(s::create);
    Dataset d = s.create(path);
    if (encryption != null && !encryption.equals("inherit")) {
      d.encryption = encryption.equals("on") ? "aes-256-gcm" : encryption;
      d.keyLoaded = true;
    }
    props.forEach((k, v) -> FakeProperties.set(d, k, v, argv));
  }

  /** {@code zfs create -o encryption=...}: a new encryption root needs a {@code keyformat}. */
  private void checkEncryption(
      DatasetPath path, String encryption, Map<String, String> properties, List<String> argv) {
    Dataset parent = path.isRoot() ? null : s.datasets.get(path.parent());
    boolean parentEncrypted = parent != null && parent.isEncrypted();
    if (encryption.equals("off")) {
      return; // OpenZFS 2.x allows an unencrypted child below an encrypted parent
    }
    if (!encryption.equals("inherit") && !properties.containsKey("keyformat") && !parentEncrypted) {
      throw FakeState.failed(
          argv, "cannot create '" + path + "': Keyformat required for new encryption root.");
    }
  }

  Map<String, Property> getProperties(String name, Set<String> properties, List<String> argv) {
    int at = name.indexOf('@');
    int hash = name.indexOf('#');
    int cut = at >= 0 ? at : hash;
    String fsName = cut >= 0 ? name.substring(0, cut) : name;
    if (!DatasetPath.isValid(fsName)) {
      throw FakeState.failed(argv, "cannot open '" + name + "': invalid dataset name");
    }
    Dataset d = s.datasets.get(DatasetPath.of(fsName));
    if (d == null) {
      throw FakeState.notFound(argv, name);
    }
    if (at >= 0) {
      Snapshot snap = d.snapshots.get(name.substring(at + 1));
      if (snap == null) {
        throw FakeState.notFound(argv, name);
      }
      return FakeProperties.ofSnapshot(s, d, snap, properties, argv);
    }
    if (hash >= 0) {
      Bookmark b = d.bookmarks.get(name.substring(hash + 1));
      if (b == null || !s.caps.bookmarks()) {
        throw FakeState.notFound(argv, name);
      }
      return FakeProperties.ofBookmark(d, b, properties, argv);
    }
    return FakeProperties.ofDataset(s, d, properties, argv);
  }

  void bookmark(DatasetPath fs, String snapshot, String bookmark, List<String> argv) {
    if (!s.caps.bookmarks()) {
      throw FakeState.unsupported(argv, s.caps, "unrecognized command 'bookmark'");
    }
    checkName(argv, bookmark);
    Dataset d = s.require(argv, fs);
    Snapshot snap = d.snapshots.get(snapshot);
    if (snap == null) {
      throw FakeState.notFound(argv, fs + "@" + snapshot);
    }
    if (d.bookmarks.containsKey(bookmark)) {
      throw new DatasetExistsException(
          argv,
          FakeState.EXIT_FAILURE,
          "cannot create bookmark '" + fs + "#" + bookmark + "': bookmark exists\n");
    }
    d.bookmarks.put(bookmark, new Bookmark(bookmark, snap.guid, snap.createTxg, snap.creation));
  }

  void rollback(DatasetPath fs, String snapshot, boolean destroyLater, List<String> argv) {
    Dataset d = s.require(argv, fs);
    Snapshot snap = d.snapshots.get(snapshot);
    if (snap == null) {
      throw FakeState.notFound(argv, fs + "@" + snapshot);
    }
    List<String> later = new ArrayList<>();
    d.snapshotsByTxg().stream()
        .filter(x -> x.createTxg > snap.createTxg)
        .forEach(x -> later.add(fs + "@" + x.name));
    d.bookmarks.values().stream()
        .filter(b -> b.createTxg() > snap.createTxg)
        .forEach(b -> later.add(fs + "#" + b.name()));
    if (!later.isEmpty() && !destroyLater) {
      throw FakeState.failed(
          argv,
          "cannot rollback to '"
              + fs
              + "@"
              + snapshot
              + "': more recent snapshots or bookmarks exist\n"
              + "use '-r' to force deletion of the following snapshots and bookmarks:\n"
              + String.join("\n", later));
    }
    for (Snapshot x : d.snapshots.values()) {
      if (x.createTxg > snap.createTxg && !x.holds.isEmpty()) {
        throw FakeState.busy(argv, "destroy", fs + "@" + x.name);
      }
    }
    d.snapshots.values().removeIf(x -> x.createTxg > snap.createTxg);
    d.bookmarks.values().removeIf(b -> b.createTxg() > snap.createTxg);
    d.files = FakeModel.copyFiles(snap.files);
    // The head gets the snapshot's block pointer back, so it is not "modified since" it.
    d.birth = snap.birth;
    s.nextTxg(fs);
  }
}
