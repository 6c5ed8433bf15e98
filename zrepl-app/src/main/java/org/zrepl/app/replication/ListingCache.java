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
import org.zrepl.port.zfs.SendFlag;
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
 *       does not exist ({@link DatasetNotFoundException}, as ZFS would say);
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
  private final Set<DatasetPath> scope;
  private final Object lock = new Object();
  private int sessions;
  private long generation;
  private boolean propertiesSent;
  private final Map<DatasetPath, List<FilesystemVersion>> versions = new HashMap<>();
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
          propertiesSent = false;
        }
      }
    }
  }

  private void forgetAll() {
    generation++;
    versions.clear();
    datasets.clear();
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
      } else {
        filesystems.forEach(versions::remove);
      }
      if (inListings) {
        for (DatasetListing l : datasets.values()) {
          filesystems.forEach(tree ? l::staleTree : l::stalePath);
        }
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
        Optional<List<DatasetInfo>> hit = l.answer(key, properties);
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
    DatasetListing made = new DatasetListing(key, wanted, listed);
    List<DatasetInfo> answer = made.project(properties, key); // before others can change it
    synchronized (lock) {
      if (gen == generation && sessions > 0) {
        datasets.put(key, made);
      }
    }
    return answer;
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
    try {
      delegate.receive(target, stream, options);
    } finally {
      forget(List.of(target), !onlyTarget, true);
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
      return;
    }
    try {
      delegate.createFilesystem(path, properties, false);
    } finally {
      forget(List.of(path), true, true);
    }
  }

  /**
   * Answered from a dataset listing of this session where one covers the filesystem {@code name}
   * with the properties and nothing changed it since (see the class comment); else from ZFS.
   */
  @Override
  public Map<String, Property> getProperties(String name, Set<String> properties) {
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
