package org.zrepl.app.replication;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.zfs.DatasetInfo;
import org.zrepl.port.zfs.DatasetNotFoundException;
import org.zrepl.port.zfs.DatasetTree;
import org.zrepl.port.zfs.Property;
import org.zrepl.port.zfs.ReceiveOptions;
import org.zrepl.port.zfs.ResumeTokenContents;
import org.zrepl.port.zfs.SendFlag;
import org.zrepl.port.zfs.SendRequest;
import org.zrepl.port.zfs.SendStream;
import org.zrepl.port.zfs.VersionListing;
import org.zrepl.port.zfs.Zfs;
import org.zrepl.port.zfs.ZfsCapabilities;

/**
 * A {@link Zfs} that remembers listings while a session is open, so that one invocation of a job
 * (planning, every step, sender and receiver pruning) lists each filesystem's snapshots and the
 * dataset tree once instead of once per phase. Outside a session every call goes straight to the
 * delegate: nothing is remembered between invocations, so a change made by someone else between two
 * invocations is always seen.
 *
 * <p>Honesty rules (a stale listing must never cause a wrong destroy):
 *
 * <ul>
 *   <li>every call through this object that changes ZFS forgets, before it returns (and also when
 *       it fails), what it may have changed: the snapshots of the filesystems it touched (with
 *       their descendants for a dataset destroy, a forced receive or a rollback), and in the
 *       dataset listings the path or subtree it touched (the whole listing for a change that may
 *       reach further). A user property it set successfully is written into the listings exactly
 *       (descendants inherit it unless they or a dataset between have their own value); a snapshot,
 *       bookmark or hold changes no dataset listing;
 *   <li>a receive whose stream can carry no properties (this session sent none with {@code -p},
 *       {@code -b}, {@code -S} or from a resume token, and the receive sets none) changes only its
 *       target's entry: a non-replication stream neither creates nor destroys other datasets;
 *   <li>{@link #getProperties} of a filesystem is answered from a listing that covers it with the
 *       properties and where it is not stale; one that lies below a listed root and was not listed
 *       does not exist ({@link DatasetNotFoundException}, as ZFS would say); a snapshot's
 *       properties that the snapshot listings fetch ({@code referenced}) are answered from the
 *       current listing of its filesystem that names it;
 *   <li>a filesystem received or created through this cache exists ({@link #exists}) until a
 *       destroy, an abandoned receive or a rollback through it forgets that, although its listing
 *       entry is stale (its properties are asked again);
 *   <li>a listing that was running while something was forgotten is not stored (a generation
 *       counter), so a concurrent step cannot store a listing from before its own change;
 *   <li>within a session, changes made by other processes are not seen; they can only make a
 *       listing miss a newer snapshot or still name a destroyed one. Pruning then keeps more (it
 *       never destroys what it does not list) or fails on the missing snapshot with ZFS's error.
 * </ul>
 */
public final class ListingCache implements Zfs {

  /** Send flags whose stream carries no dataset properties. */
  private static final Set<SendFlag> PROPERTY_FREE =
      Set.of(SendFlag.LARGE_BLOCKS, SendFlag.COMPRESSED, SendFlag.EMBEDDED_DATA);

  private final Zfs delegate;
  private final Function<ZfsCapabilities, Set<String>> alsoList;
  private final Function<ZfsCapabilities, Set<String>> alsoListOfSnapshots;
  private final Set<DatasetPath> scope;
  private final Object lock = new Object();
  private int sessions;
  private long generation;
  private boolean propertiesSent;
  private final Map<DatasetPath, VersionListing> versions = new HashMap<>();

  /**
   * Filesystems this session received or created through this cache (successfully) and nothing
   * forgot since: they exist, whatever their (stale) listing entry says.
   */
  private final Set<DatasetPath> existing = new HashSet<>();

  private final Map<Set<DatasetPath>, DatasetListing> datasets = new HashMap<>();

  /** A cache that lists exactly what it is asked for. */
  public ListingCache(Zfs delegate) {
    this(delegate, caps -> Set.of(), Set.of());
  }

  /**
   * A cache whose dataset listings also fetch {@code alsoList} (given the ZFS's capabilities), so
   * that the phases of an invocation that ask for different properties share one listing.
   *
   * <p>With a non-empty {@code scope}, a listing of every pool made inside a session lists only at
   * and below the scope's roots (those that exist; one that does not has nothing below it): for a
   * job whose callers all filter what they list by the mapping whose {@code reach()} the scope is,
   * this answers the same and does not list the rest of the machine.
   */
  public ListingCache(
      Zfs delegate, Function<ZfsCapabilities, Set<String>> alsoList, Set<DatasetPath> scope) {
    this(delegate, alsoList, caps -> Set.of(), scope);
  }

  /**
   * As above; the snapshot listings also fetch {@code alsoListOfSnapshots} of each snapshot (e.g.
   * {@code referenced}, a full step's size), which {@link #getProperties} of a snapshot then
   * answers without a process while the listing is current.
   */
  public ListingCache(
      Zfs delegate,
      Function<ZfsCapabilities, Set<String>> alsoList,
      Function<ZfsCapabilities, Set<String>> alsoListOfSnapshots,
      Set<DatasetPath> scope) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.alsoList = Objects.requireNonNull(alsoList, "alsoList");
    this.alsoListOfSnapshots = Objects.requireNonNull(alsoListOfSnapshots, "alsoListOfSnapshots");
    this.scope = Set.copyOf(new TreeSet<>(scope));
  }

  /** The ZFS this cache reads through. */
  public Zfs delegate() {
    return delegate;
  }

  /**
   * Starts remembering listings until the returned session is closed (sessions nest; the cache is
   * emptied when the last one closes).
   */
  public Session open() {
    synchronized (lock) {
      sessions++;
    }
    return new Session();
  }

  /** An open session; {@link #close()} ends it. */
  public final class Session implements AutoCloseable {
    private boolean closed;

    private Session() {}

    @Override
    public void close() {
      synchronized (lock) {
        if (closed) {
          return;
        }
        closed = true;
        sessions--;
        if (sessions == 0) {
          forgetAll();
          propertiesSent = false;
        }
      }
    }
  }

  private void forgetAll() {
    generation++;
    versions.clear();
    datasets.clear();
    existing.clear();
  }

  /**
   * Forgets the versions of {@code filesystems} (and below if {@code tree}) and marks them (their
   * subtrees if {@code tree}) stale in every dataset listing if {@code inListings}.
   */
  private void forget(Collection<DatasetPath> filesystems, boolean tree, boolean inListings) {
    synchronized (lock) {
      generation++;
      if (tree) {
        versions.keySet().removeIf(p -> filesystems.stream().anyMatch(p::hasPrefix));
        existing.removeIf(p -> filesystems.stream().anyMatch(p::hasPrefix));
      } else {
        filesystems.forEach(versions::remove);
        filesystems.forEach(existing::remove);
      }
      if (inListings) {
        for (DatasetListing l : datasets.values()) {
          filesystems.forEach(tree ? l::staleTree : l::stalePath);
        }
      }
    }
  }

  /** Records that {@code fs} exists now (a change through this cache succeeded). */
  private void markExisting(DatasetPath fs) {
    synchronized (lock) {
      if (sessions > 0) {
        existing.add(fs);
      }
    }
  }

  /** Marks {@code fs}'s subtree stale in every dataset listing; its versions stay. */
  private void staleInListings(DatasetPath fs) {
    synchronized (lock) {
      generation++;
      datasets.values().forEach(l -> l.staleTree(fs));
    }
  }

  private void forgetAll(Runnable change) {
    try {
      change.run();
    } finally {
      synchronized (lock) {
        forgetAll();
      }
    }
  }

  @Override
  public ZfsCapabilities capabilities() {
    return delegate.capabilities();
  }

  @Override
  public List<DatasetInfo> listDatasets(Collection<DatasetPath> roots, Set<String> properties) {
    Set<DatasetPath> key = Set.copyOf(new TreeSet<>(roots.isEmpty() ? scope : roots));
    long gen;
    Set<String> wanted = new HashSet<>(properties);
    synchronized (lock) {
      if (sessions == 0) {
        return delegate.listDatasets(roots, properties);
      }
      for (DatasetListing l : datasets.values()) {
        Optional<List<DatasetInfo>> hit = l.answer(key, properties, roots.isEmpty());
        if (hit.isPresent()) {
          return hit.get();
        }
      }
      DatasetListing same = datasets.get(key);
      if (same != null) {
        wanted.addAll(same.properties());
      }
      gen = generation;
    }
    if (!roots.isEmpty() && !scope.isEmpty() && key.stream().allMatch(this::inScope)) {
      // roots within the scope (a sender's filter, a receiver's targets): the scope's one listing
      // answers them and every later listing of the invocation; a missing root goes to ZFS below
      listDatasets(List.of(), properties);
      synchronized (lock) {
        for (DatasetListing l : datasets.values()) {
          Optional<List<DatasetInfo>> hit = l.answer(key, properties, false);
          if (hit.isPresent()) {
            return hit.get();
          }
        }
        gen = generation;
      }
    }
    wanted.addAll(alsoList());
    Set<String> snapshotExtras = alsoListOfSnapshots.apply(delegate.capabilities());
    Listed listed;
    Set<DatasetPath> absent = Set.of();
    try {
      listed = listTree(key, Set.copyOf(wanted), snapshotExtras);
    } catch (DatasetNotFoundException e) {
      if (!roots.isEmpty()) {
        throw e;
      }
      // a root of the scope does not exist (yet): list the others; nothing lies below it
      Set<DatasetPath> present = new TreeSet<>();
      key.stream().filter(delegate::exists).forEach(present::add);
      absent = new TreeSet<>(key);
      absent.removeAll(present);
      listed =
          present.isEmpty()
              ? new Listed(List.of(), Map.of())
              : listTree(present, Set.copyOf(wanted), snapshotExtras);
    }
    DatasetListing made = new DatasetListing(key, absent, wanted, listed.datasets());
    List<DatasetInfo> answer = made.project(properties, key); // before others can change it
    synchronized (lock) {
      if (gen == generation && sessions > 0) {
        datasets.put(key, made);
        listed.versions().forEach((fs, l) -> versions.put(fs, kept(l, snapshotExtras)));
      }
    }
    return answer;
  }

  /**
   * The datasets, with every listed dataset's versions where the delegate lists both in one command
   * ({@link Zfs#listDatasetsWithVersions}); else with no versions.
   */
  private Listed listTree(
      Set<DatasetPath> roots, Set<String> properties, Set<String> snapshotExtras) {
    Optional<DatasetTree> both =
        delegate.listDatasetsWithVersions(roots, properties, snapshotExtras);
    if (both.isPresent()) {
      return new Listed(both.get().datasets(), both.get().versions());
    }
    return new Listed(delegate.listDatasets(roots, properties), Map.of());
  }

  /** Datasets, and the versions of those (or none) the same command listed. */
  private record Listed(List<DatasetInfo> datasets, Map<DatasetPath, VersionListing> versions) {}

  /** What the cache keeps of a listing: the versions and the snapshots' {@code snapshotExtras}. */
  private static VersionListing kept(VersionListing l, Set<String> snapshotExtras) {
    Map<String, Map<String, Property>> snapshots = new HashMap<>();
    l.snapshotProperties().forEach((k, v) -> snapshots.put(k, only(v, snapshotExtras)));
    return new VersionListing(l.versions(), Map.of(), snapshots);
  }

  private boolean inScope(DatasetPath p) {
    return scope.stream().anyMatch(p::hasPrefix);
  }

  private Set<String> alsoList() {
    return alsoList.apply(delegate.capabilities());
  }

  @Override
  public Map<DatasetPath, List<FilesystemVersion>> listVersions(
      Collection<DatasetPath> filesystems) {
    Map<DatasetPath, List<FilesystemVersion>> out = new LinkedHashMap<>();
    List<DatasetPath> missing = new ArrayList<>();
    long gen;
    synchronized (lock) {
      if (sessions == 0) {
        return delegate.listVersions(filesystems);
      }
      for (DatasetPath fs : filesystems) {
        VersionListing hit = versions.get(fs);
        if (hit == null) {
          missing.add(fs);
        } else {
          out.put(fs, hit.versions());
        }
      }
      gen = generation;
    }
    if (!missing.isEmpty()) {
      listAndKeep(missing, Set.of(), gen).forEach((fs, l) -> out.put(fs, l.versions()));
    }
    return out;
  }

  /**
   * Without properties, as {@link #listVersions(Collection)}; with some, asks ZFS (the filesystems'
   * own properties are not kept) and keeps the versions with their snapshots' {@code
   * alsoListOfSnapshots}.
   */
  @Override
  public Map<DatasetPath, VersionListing> listVersions(
      Collection<DatasetPath> filesystems, Set<String> properties) {
    if (properties.isEmpty()) {
      return VersionListing.of(listVersions(filesystems));
    }
    long gen;
    synchronized (lock) {
      if (sessions == 0) {
        return delegate.listVersions(filesystems, properties);
      }
      gen = generation;
    }
    Map<DatasetPath, VersionListing> out = new LinkedHashMap<>();
    listAndKeep(filesystems, properties, gen)
        .forEach(
            (fs, l) -> {
              Map<String, Map<String, Property>> snapshots = new HashMap<>();
              l.snapshotProperties().forEach((k, v) -> snapshots.put(k, only(v, properties)));
              out.put(
                  fs,
                  new VersionListing(l.versions(), only(l.properties(), properties), snapshots));
            });
    return out;
  }

  private static Map<String, Property> only(Map<String, Property> props, Set<String> wanted) {
    Map<String, Property> out = new HashMap<>(props);
    out.keySet().retainAll(wanted);
    return Map.copyOf(out);
  }

  /**
   * Lists with {@code properties} and the snapshots' extras; keeps the result if nothing changed.
   */
  private Map<DatasetPath, VersionListing> listAndKeep(
      Collection<DatasetPath> filesystems, Set<String> properties, long gen) {
    Set<String> snapshotExtras = alsoListOfSnapshots.apply(delegate.capabilities());
    Set<String> asked = new HashSet<>(properties);
    asked.addAll(snapshotExtras);
    Map<DatasetPath, VersionListing> listed = delegate.listVersions(filesystems, Set.copyOf(asked));
    synchronized (lock) {
      if (gen == generation && sessions > 0) {
        listed.forEach((fs, l) -> versions.put(fs, kept(l, snapshotExtras)));
      }
    }
    return listed;
  }

  /**
   * True iff the filesystem exists: answered without a process where this session received or
   * created it, or a current dataset listing covers it; else ZFS is asked.
   */
  @Override
  public boolean exists(DatasetPath fs) {
    synchronized (lock) {
      if (sessions > 0) {
        if (existing.contains(fs)) {
          return true;
        }
        for (DatasetListing l : datasets.values()) {
          Optional<Optional<Map<String, Property>>> known = l.properties(fs, Set.of());
          if (known.isPresent()) {
            return known.get().isPresent();
          }
        }
      }
    }
    return delegate.exists(fs);
  }

  @Override
  public void snapshot(Collection<DatasetPath> filesystems, String name) {
    try {
      delegate.snapshot(filesystems, name);
    } finally {
      forget(filesystems, false, false);
    }
  }

  @Override
  public void destroySnapshots(DatasetPath fs, Collection<String> names) {
    try {
      delegate.destroySnapshots(fs, names);
    } finally {
      forget(List.of(fs), false, false);
    }
  }

  @Override
  public void destroyBookmark(DatasetPath fs, String name) {
    try {
      delegate.destroyBookmark(fs, name);
    } finally {
      forget(List.of(fs), false, false);
    }
  }

  @Override
  public void destroyDataset(DatasetPath fs, boolean recursive) {
    try {
      delegate.destroyDataset(fs, recursive);
    } finally {
      forget(List.of(fs), true, true);
    }
  }

  @Override
  public SendStream send(SendRequest request) {
    if (request.resumeToken().isPresent() || !PROPERTY_FREE.containsAll(request.flags())) {
      synchronized (lock) {
        propertiesSent = true;
      }
    }
    return delegate.send(request);
  }

  @Override
  public OptionalLong estimateSendSize(SendRequest request) {
    return delegate.estimateSendSize(request);
  }

  @Override
  public ResumeTokenContents decodeResumeToken(String token) {
    return delegate.decodeResumeToken(token);
  }

  @Override
  public void receive(DatasetPath target, InputStream stream, ReceiveOptions options) {
    boolean onlyTarget;
    synchronized (lock) {
      onlyTarget = !propertiesSent && !options.force() && options.setProperties().isEmpty();
    }
    boolean received = false;
    try {
      delegate.receive(target, stream, options);
      received = true;
    } finally {
      forget(List.of(target), !onlyTarget, true);
      if (received) {
        markExisting(target);
      }
    }
  }

  @Override
  public void abortResumableReceive(DatasetPath target) {
    try {
      delegate.abortResumableReceive(target);
    } finally {
      forget(List.of(target), true, true);
    }
  }

  @Override
  public void createFilesystem(
      DatasetPath path, Map<String, String> properties, boolean createParents) {
    if (createParents) {
      forgetAll(() -> delegate.createFilesystem(path, properties, true));
      markExisting(path);
      return;
    }
    boolean created = false;
    try {
      delegate.createFilesystem(path, properties, false);
      created = true;
    } finally {
      forget(List.of(path), true, true);
      if (created) {
        markExisting(path);
      }
    }
  }

  /**
   * Answered from a dataset listing of this session where one covers the filesystem {@code name}
   * with the properties and nothing changed it since (see the class comment); else from ZFS.
   */
  @Override
  public Map<String, Property> getProperties(String name, Set<String> properties) {
    Optional<Map<String, Property>> ofSnapshot = fromSnapshotListing(name, properties);
    if (ofSnapshot.isPresent()) {
      return ofSnapshot.get();
    }
    if (!properties.isEmpty()
        && name.indexOf('@') < 0
        && name.indexOf('#') < 0
        && DatasetPath.isValid(name)) {
      DatasetPath fs = DatasetPath.of(name);
      synchronized (lock) {
        if (sessions > 0) {
          for (DatasetListing l : datasets.values()) {
            Optional<Optional<Map<String, Property>>> known = l.properties(fs, properties);
            if (known.isPresent()) {
              return known
                  .get()
                  .orElseThrow(
                      () ->
                          new DatasetNotFoundException(
                              List.of(
                                  "zfs", "get", String.join(",", new TreeSet<>(properties)), name),
                              1,
                              "cannot open '"
                                  + name
                                  + "': dataset does not exist (this invocation's listing of its"
                                  + " parent, made through it, does not name it)"));
            }
          }
        }
      }
    }
    return delegate.getProperties(name, properties);
  }

  /**
   * A snapshot's properties from this session's current listing of its filesystem, if that listed
   * the snapshot with every one of {@code properties}.
   */
  private Optional<Map<String, Property>> fromSnapshotListing(String name, Set<String> properties) {
    int at = name.indexOf('@');
    if (properties.isEmpty()
        || at <= 0
        || !DatasetPath.isValid(name.substring(0, at))
        || !alsoListOfSnapshots.apply(delegate.capabilities()).containsAll(properties)) {
      return Optional.empty();
    }
    String snapshot = name.substring(at + 1);
    synchronized (lock) {
      VersionListing l = sessions > 0 ? versions.get(DatasetPath.of(name.substring(0, at))) : null;
      if (l == null
          || l.versions().stream().noneMatch(v -> v.isSnapshot() && v.name().equals(snapshot))) {
        return Optional.empty();
      }
      return Optional.of(only(l.snapshotProperties().getOrDefault(snapshot, Map.of()), properties));
    }
  }

  /**
   * A user property's new value is written into the session's listings; any other property marks
   * the dataset's subtree stale in them. No property changes snapshots or bookmarks: the versions
   * stay.
   */
  @Override
  public void setProperty(DatasetPath dataset, String property, String value) {
    boolean done = false;
    try {
      delegate.setProperty(dataset, property, value);
      done = true;
    } finally {
      if (done && property.indexOf(':') > 0) {
        synchronized (lock) {
          generation++;
          datasets.values().forEach(l -> l.userPropertySet(dataset, property, value));
        }
      } else {
        staleInListings(dataset);
      }
    }
  }

  /** Never from this cache (see {@link Zfs#getPropertiesNow}). */
  @Override
  public Map<DatasetPath, Map<String, Property>> getPropertiesNow(
      Collection<DatasetPath> targets, Set<String> properties) {
    return delegate.getPropertiesNow(targets, properties);
  }

  /** As {@link #setProperty(DatasetPath, String, String)}, for many in one command. */
  @Override
  public void setProperty(Collection<DatasetPath> targets, String property, String value) {
    boolean done = false;
    try {
      delegate.setProperty(targets, property, value);
      done = true;
    } finally {
      synchronized (lock) {
        generation++;
        for (DatasetPath d : targets) {
          if (done && property.indexOf(':') > 0) {
            datasets.values().forEach(l -> l.userPropertySet(d, property, value));
          } else {
            datasets.values().forEach(l -> l.staleTree(d));
          }
        }
      }
    }
  }

  @Override
  public void inheritProperty(DatasetPath dataset, String property) {
    try {
      delegate.inheritProperty(dataset, property);
    } finally {
      staleInListings(dataset);
    }
  }

  @Override
  public void hold(DatasetPath fs, String snapshot, String tag) {
    delegate.hold(fs, snapshot, tag);
  }

  @Override
  public void release(DatasetPath fs, String snapshot, String tag) {
    delegate.release(fs, snapshot, tag);
  }

  @Override
  public Set<String> holds(DatasetPath fs, String snapshot) {
    return delegate.holds(fs, snapshot);
  }

  /** One process for all, as the delegate asks (the port's default would ask per snapshot). */
  @Override
  public Map<String, Set<String>> holds(DatasetPath fs, Collection<String> snapshots) {
    return delegate.holds(fs, snapshots);
  }

  @Override
  public void bookmark(DatasetPath fs, String snapshot, String bookmark) {
    try {
      delegate.bookmark(fs, snapshot, bookmark);
    } finally {
      forget(List.of(fs), false, false);
    }
  }

  /** A rollback may destroy clones elsewhere ({@code -R}): every listing is forgotten. */
  @Override
  public void rollback(DatasetPath fs, String snapshot, boolean destroyLaterSnapshots) {
    forgetAll(() -> delegate.rollback(fs, snapshot, destroyLaterSnapshots));
  }
}
