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
import org.zrepl.port.zfs.Property;
import org.zrepl.port.zfs.ReceiveOptions;
import org.zrepl.port.zfs.ResumeTokenContents;
import org.zrepl.port.zfs.SendRequest;
import org.zrepl.port.zfs.SendStream;
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
 *   <li>every call through this object that changes ZFS forgets what it may have changed before it
 *       returns (and also when it fails): the snapshots of the filesystems it touched (with their
 *       descendants for a dataset destroy, a receive or a rollback) and every dataset listing;
 *   <li>a listing that was running while something was forgotten is not stored (a generation
 *       counter), so a concurrent step cannot store a listing from before its own change;
 *   <li>within a session, changes made by other processes are not seen; they can only make a
 *       listing miss a newer snapshot or still name a destroyed one. Pruning then keeps more (it
 *       never destroys what it does not list) or fails on the missing snapshot with ZFS's error.
 * </ul>
 */
public final class ListingCache implements Zfs {

  private final Zfs delegate;
  private final Function<ZfsCapabilities, Set<String>> alsoList;
  private final Set<DatasetPath> scope;
  private final Object lock = new Object();
  private int sessions;
  private long generation;
  private final Map<DatasetPath, List<FilesystemVersion>> versions = new HashMap<>();
  private final Map<Set<DatasetPath>, Listing> datasets = new HashMap<>();

  /** A dataset listing of some roots, with the properties it was made with. */
  private record Listing(Set<String> properties, List<DatasetInfo> datasets) {}

  /** A cache that lists exactly what it is asked for. */
  public ListingCache(Zfs delegate) {
    this(delegate, caps -> Set.of(), Set.of());
  }

  /**
   * A cache whose dataset listings also fetch {@code alsoList} (given the ZFS's capabilities), so
   * that the phases of an invocation that ask for different properties share one listing.
   *
   * <p>With a non-empty {@code scope}, a listing of every pool made inside a session lists only at
   * and below the scope's roots (and every pool if one of them does not exist yet): for a job whose
   * callers all filter what they list by the mapping whose {@code reach()} the scope is, this
   * answers the same and does not list the rest of the machine.
   */
  public ListingCache(
      Zfs delegate, Function<ZfsCapabilities, Set<String>> alsoList, Set<DatasetPath> scope) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.alsoList = Objects.requireNonNull(alsoList, "alsoList");
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
        }
      }
    }
  }

  private void forgetAll() {
    generation++;
    versions.clear();
    datasets.clear();
  }

  /** Forgets every dataset listing and the versions of {@code fs} (and below if {@code tree}). */
  private void forget(Collection<DatasetPath> filesystems, boolean tree) {
    synchronized (lock) {
      generation++;
      datasets.clear();
      if (tree) {
        versions.keySet().removeIf(p -> filesystems.stream().anyMatch(p::hasPrefix));
      } else {
        filesystems.forEach(versions::remove);
      }
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
      for (Map.Entry<Set<DatasetPath>, Listing> e : datasets.entrySet()) {
        Optional<List<DatasetInfo>> hit = covered(e.getKey(), e.getValue(), key, properties);
        if (hit.isPresent()) {
          return hit.get();
        }
      }
      Listing same = datasets.get(key);
      if (same != null) {
        wanted.addAll(same.properties());
      }
      gen = generation;
    }
    wanted.addAll(alsoList());
    List<DatasetInfo> listed;
    try {
      listed = delegate.listDatasets(key, Set.copyOf(wanted));
    } catch (DatasetNotFoundException e) {
      if (!roots.isEmpty()) {
        throw e;
      }
      key = Set.of(); // a root of the scope does not exist yet: list every pool
      listed = delegate.listDatasets(key, Set.copyOf(wanted));
    }
    synchronized (lock) {
      if (gen == generation && sessions > 0) {
        datasets.put(key, new Listing(Set.copyOf(wanted), listed));
      }
    }
    return project(listed, properties, key);
  }

  private Set<String> alsoList() {
    return alsoList.apply(delegate.capabilities());
  }

  /**
   * The part of a listing of {@code listedRoots} that answers a listing of {@code roots}, if it has
   * the properties and covers the roots: a listing of every pool covers any roots; otherwise every
   * requested root must lie at or below a listed root and have been listed (a missing root goes to
   * ZFS, which says it is missing).
   */
  private static Optional<List<DatasetInfo>> covered(
      Set<DatasetPath> listedRoots, Listing listing, Set<DatasetPath> roots, Set<String> props) {
    if (!listing.properties().containsAll(props)) {
      return Optional.empty();
    }
    if (roots.isEmpty()) {
      return listedRoots.isEmpty()
          ? Optional.of(project(listing.datasets(), props, roots))
          : Optional.empty();
    }
    boolean under =
        listedRoots.isEmpty()
            || roots.stream().allMatch(r -> listedRoots.stream().anyMatch(r::hasPrefix));
    if (!under) {
      return Optional.empty();
    }
    Set<DatasetPath> present = new HashSet<>();
    listing.datasets().forEach(d -> present.add(d.path()));
    if (!present.containsAll(roots)) {
      return Optional.empty();
    }
    return Optional.of(project(listing.datasets(), props, roots));
  }

  /** The datasets at or below {@code roots} (all if empty) with only {@code properties}. */
  private static List<DatasetInfo> project(
      List<DatasetInfo> listed, Set<String> properties, Set<DatasetPath> roots) {
    List<DatasetInfo> out = new ArrayList<>(listed.size());
    for (DatasetInfo d : listed) {
      if (!roots.isEmpty() && roots.stream().noneMatch(d.path()::hasPrefix)) {
        continue;
      }
      Map<String, Property> props = new HashMap<>(d.properties());
      props.keySet().retainAll(properties);
      out.add(new DatasetInfo(d.path(), d.type(), props));
    }
    return List.copyOf(out);
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
        List<FilesystemVersion> hit = versions.get(fs);
        if (hit == null) {
          missing.add(fs);
        } else {
          out.put(fs, hit);
        }
      }
      gen = generation;
    }
    if (!missing.isEmpty()) {
      Map<DatasetPath, List<FilesystemVersion>> listed = delegate.listVersions(missing);
      out.putAll(listed);
      synchronized (lock) {
        if (gen == generation && sessions > 0) {
          versions.putAll(listed);
        }
      }
    }
    return out;
  }

  @Override
  public void snapshot(Collection<DatasetPath> filesystems, String name) {
    try {
      delegate.snapshot(filesystems, name);
    } finally {
      forget(filesystems, false);
    }
  }

  @Override
  public void destroySnapshots(DatasetPath fs, Collection<String> names) {
    try {
      delegate.destroySnapshots(fs, names);
    } finally {
      forget(List.of(fs), false);
    }
  }

  @Override
  public void destroyBookmark(DatasetPath fs, String name) {
    try {
      delegate.destroyBookmark(fs, name);
    } finally {
      forget(List.of(fs), false);
    }
  }

  @Override
  public void destroyDataset(DatasetPath fs, boolean recursive) {
    try {
      delegate.destroyDataset(fs, recursive);
    } finally {
      forget(List.of(fs), true);
    }
  }

  @Override
  public SendStream send(SendRequest request) {
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
    try {
      delegate.receive(target, stream, options);
    } finally {
      forget(List.of(target), true);
    }
  }

  @Override
  public void abortResumableReceive(DatasetPath target) {
    try {
      delegate.abortResumableReceive(target);
    } finally {
      forget(List.of(target), true);
    }
  }

  @Override
  public void createFilesystem(
      DatasetPath path, Map<String, String> properties, boolean createParents) {
    try {
      delegate.createFilesystem(path, properties, createParents);
    } finally {
      forget(List.of(path), true);
    }
  }

  @Override
  public Map<String, Property> getProperties(String name, Set<String> properties) {
    return delegate.getProperties(name, properties);
  }

  @Override
  public void setProperty(DatasetPath dataset, String property, String value) {
    forgetAll(() -> delegate.setProperty(dataset, property, value));
  }

  @Override
  public void inheritProperty(DatasetPath dataset, String property) {
    forgetAll(() -> delegate.inheritProperty(dataset, property));
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

  @Override
  public void bookmark(DatasetPath fs, String snapshot, String bookmark) {
    try {
      delegate.bookmark(fs, snapshot, bookmark);
    } finally {
      forget(List.of(fs), false);
    }
  }

  @Override
  public void rollback(DatasetPath fs, String snapshot, boolean destroyLaterSnapshots) {
    try {
      delegate.rollback(fs, snapshot, destroyLaterSnapshots);
    } finally {
      forget(List.of(fs), true);
    }
  }
}
