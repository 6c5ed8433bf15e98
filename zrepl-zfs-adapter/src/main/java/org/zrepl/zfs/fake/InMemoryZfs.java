package org.zrepl.zfs.fake;

import java.io.InputStream;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.zfs.DatasetInfo;
import org.zrepl.port.zfs.DatasetTree;
import org.zrepl.port.zfs.DatasetType;
import org.zrepl.port.zfs.Property;
import org.zrepl.port.zfs.ReceiveOptions;
import org.zrepl.port.zfs.ResumeTokenContents;
import org.zrepl.port.zfs.SendRequest;
import org.zrepl.port.zfs.SendStream;
import org.zrepl.port.zfs.VersionListing;
import org.zrepl.port.zfs.Zfs;
import org.zrepl.port.zfs.ZfsCapabilities;
import org.zrepl.port.zfs.ZfsException;
import org.zrepl.zfs.fake.FakeModel.Dataset;

/**
 * An in-memory {@link Zfs} in the spirit of jimfs: pools, filesystems with simple file content,
 * snapshots, bookmarks, holds, user properties and real send streams, behaving like the ZFS of a
 * {@link ZfsCapabilities} preset. It throws the exception types {@code CliZfs} throws, carrying the
 * command line {@code CliZfs} would have run, and counts the processes it would have started.
 *
 * <p>Tests may inject failures ({@link #failNext}) and cut send streams ({@link
 * #cutNextSendAfter}). Thread-safe: every operation holds one lock, except that {@link #receive}
 * reads its input without it. Send streams are built in memory (the fake holds small data only).
 */
public final class InMemoryZfs implements Zfs {

  /** The {@code zfs} subcommands the fake counts and can fail on demand. */
  public static final Set<String> OPERATIONS =
      Set.of(
          "list",
          "get",
          "set",
          "inherit",
          "snapshot",
          "destroy",
          "send",
          "recv",
          "create",
          "hold",
          "release",
          "holds",
          "bookmark",
          "rollback");

  private final Object lock = new Object();
  private final FakeState s;
  private final FakeSend sender;
  private final FakeReceive receiver;
  private final FakeDatasets datasets;
  private final FakeHolds holds;
  private final Map<String, Integer> processes = new TreeMap<>();
  private final List<List<String>> commands = new ArrayList<>();
  private final Map<String, Deque<ZfsException>> failures = new HashMap<>();
  private final Deque<Long> sendCuts = new ArrayDeque<>();
  private volatile boolean pipes = true;
  private volatile FakeDirectReceive.Tap tap;

  /**
   * @param capabilities which ZFS to imitate, e.g. {@link ZfsCapabilities#openZfs21()}
   * @param clock the source of creation times
   * @param seed makes guids reproducible
   */
  public InMemoryZfs(ZfsCapabilities capabilities, Clock clock, long seed) {
    this.s =
        new FakeState(
            Objects.requireNonNull(capabilities, "capabilities"),
            Objects.requireNonNull(clock, "clock"),
            seed);
    this.sender = new FakeSend(s);
    this.receiver = new FakeReceive(s, lock);
    this.datasets = new FakeDatasets(s);
    this.holds = new FakeHolds(s);
  }

  // --- fake-only API ----------------------------------------------------------------------------

  /** Creates a pool with its root filesystem ({@code zpool create name}). */
  public void createPool(String name) {
    DatasetPath root = DatasetPath.of(name);
    if (!root.isRoot()) {
      throw new IllegalArgumentException("pool name must not contain '/', got '" + name + "'");
    }
    synchronized (lock) {
      if (s.pools.containsKey(name)) {
        throw new IllegalArgumentException("pool '" + name + "' already exists");
      }
      s.pools.put(name, new FakeModel.Pool(name));
      s.create(root);
    }
  }

  /** Writes a file into a filesystem, which then counts as modified since its newest snapshot. */
  public void write(DatasetPath fs, String file, byte[] data) {
    synchronized (lock) {
      datasets.write(fs, file, data);
    }
  }

  /** A file's current content; empty if there is no such file. */
  public Optional<byte[]> read(DatasetPath fs, String file) {
    synchronized (lock) {
      return datasets.read(fs, file);
    }
  }

  /** The next process of {@code operation} (a zfs subcommand, see {@link #OPERATIONS}) fails. */
  public void failNext(String operation, ZfsException failure) {
    checkOperation(operation);
    Objects.requireNonNull(failure, "failure");
    synchronized (lock) {
      failures.computeIfAbsent(operation, k -> new ArrayDeque<>()).add(failure);
    }
  }

  /**
   * The next {@link #send} delivers only the first {@code bytes} bytes of its stream, and its
   * {@link SendStream#finish()} then fails, as when the sending process dies.
   */
  public void cutNextSendAfter(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("bytes must not be negative, got " + bytes);
    }
    synchronized (lock) {
      sendCuts.add(bytes);
    }
  }

  /**
   * Whether a receive takes over a send of this fake that reaches it untouched ({@link
   * org.zrepl.port.zfs.DirectSendSource}), as {@code CliZfs} pipes {@code zfs send} into {@code zfs
   * recv} on a launcher that can (default true). False imitates a launcher that cannot: every
   * stream is read by its consumer.
   */
  public void pipeDirectly(boolean on) {
    pipes = on;
  }

  /**
   * Runs {@code action} once the next direct receive has passed {@code bytes} bytes (then forgets
   * it): lets a test act in the middle of a stream this process never sees.
   */
  public void duringNextDirectReceive(long bytes, Runnable action) {
    tap = new FakeDirectReceive.Tap(bytes, action);
  }

  /** How many {@code zfs <operation>} processes the real adapter would have started so far. */
  public int processesStarted(String operation) {
    checkOperation(operation);
    synchronized (lock) {
      return processes.getOrDefault(operation, 0);
    }
  }

  /** All processes started so far, by operation. */
  public Map<String, Integer> processesStarted() {
    synchronized (lock) {
      return Map.copyOf(processes);
    }
  }

  private static void checkOperation(String operation) {
    if (!OPERATIONS.contains(operation)) {
      throw new IllegalArgumentException(
          "unknown operation '" + operation + "', known: " + new TreeSet<>(OPERATIONS));
    }
  }

  /**
   * The command line of every process the real adapter would have started so far, in order, dry-run
   * size estimates ({@code zfs send -nvP}) included (which {@link #processesStarted} leaves out).
   * Listings are shown as the fake's {@code zfs list} command lines; {@code CliZfs} runs {@code zfs
   * get} with the same roots.
   */
  public List<List<String>> commandsStarted() {
    synchronized (lock) {
      return List.copyOf(commands);
    }
  }

  /**
   * Counts one process ({@code argv[1]} is its operation) and throws an injected failure if one is
   * queued. Hold the lock.
   */
  private void start(List<String> argv) {
    String operation = argv.get(1);
    commands.add(List.copyOf(argv));
    processes.merge(operation, 1, Integer::sum);
    Deque<ZfsException> queued = failures.get(operation);
    if (queued != null && !queued.isEmpty()) {
      throw queued.poll();
    }
  }

  // --- Zfs --------------------------------------------------------------------------------------

  @Override
  public ZfsCapabilities capabilities() {
    return s.caps;
  }

  @Override
  public List<DatasetInfo> listDatasets(Collection<DatasetPath> roots, Set<String> properties) {
    List<String> argv =
        new ArrayList<>(List.of("zfs", "list", "-H", "-r", "-t", "filesystem,volume"));
    argv.addAll(List.of("-o", String.join(",", withName(properties))));
    roots.forEach(r -> argv.add(r.toString()));
    synchronized (lock) {
      start(argv);
      return listed(roots, properties, argv);
    }
  }

  /** The datasets at and below {@code roots} (every one without roots), sorted. Holds the lock. */
  private List<DatasetInfo> listed(
      Collection<DatasetPath> roots, Set<String> properties, List<String> argv) {
    Set<DatasetPath> found = new TreeSet<>();
    if (roots.isEmpty()) {
      found.addAll(s.datasets.keySet());
    }
    for (DatasetPath r : roots) {
      s.require(argv, r);
      s.subtree(r).forEach(d -> found.add(d.path));
    }
    List<DatasetInfo> out = new ArrayList<>();
    for (DatasetPath p : found) {
      Dataset d = s.datasets.get(p);
      out.add(
          new DatasetInfo(
              p, DatasetType.FILESYSTEM, FakeProperties.ofDataset(s, d, properties, argv)));
    }
    return out;
  }

  /**
   * Where this fake imitates a ZFS without bookmarks (zfs-fuse), one process as {@code CliZfs}'s
   * {@code zfs get -r} there, which prints the snapshots' rows too (shown and counted as a {@code
   * zfs list}, like the fake's other listings); with the OpenZFS presets empty, as {@code CliZfs}
   * is there.
   */
  @Override
  public Optional<DatasetTree> listDatasetsWithVersions(
      Collection<DatasetPath> roots, Set<String> properties, Set<String> snapshotProperties) {
    if (s.caps.bookmarks()) {
      return Optional.empty();
    }
    Set<String> all = new TreeSet<>(properties);
    all.addAll(snapshotProperties);
    List<String> argv =
        new ArrayList<>(
            List.of(
                "zfs",
                "list",
                "-H",
                "-p",
                "-r",
                "-t",
                "filesystem,volume,snapshot",
                "-o",
                "name,type,guid,createtxg,creation"
                    + (all.isEmpty() ? "" : "," + String.join(",", all))));
    roots.forEach(r -> argv.add(r.toString()));
    synchronized (lock) {
      start(argv);
      List<DatasetInfo> listed = listed(roots, properties, argv);
      Map<DatasetPath, VersionListing> versions = new LinkedHashMap<>();
      for (DatasetInfo info : listed) {
        DatasetPath fs = info.path();
        Dataset d = s.datasets.get(fs);
        versions.put(
            fs,
            snapshotProperties.isEmpty()
                ? VersionListing.of(datasets.versions(d))
                : versionListing(fs, d, snapshotProperties, argv));
      }
      return Optional.of(new DatasetTree(listed, versions));
    }
  }

  private static List<String> withName(Set<String> properties) {
    List<String> cols = new ArrayList<>(List.of("name"));
    new TreeSet<>(properties).forEach(cols::add);
    return cols;
  }

  @Override
  public Map<DatasetPath, List<FilesystemVersion>> listVersions(
      Collection<DatasetPath> filesystems) {
    List<String> argv =
        new ArrayList<>(
            List.of(
                "zfs",
                "list",
                "-H",
                "-p",
                "-d",
                "1",
                "-t",
                "snapshot,bookmark",
                "-o",
                "name,guid,createtxg,creation"));
    filesystems.forEach(f -> argv.add(f.toString()));
    synchronized (lock) {
      if (filesystems.isEmpty()) {
        return Map.of();
      }
      start(argv);
      Map<DatasetPath, List<FilesystemVersion>> out = new LinkedHashMap<>();
      for (DatasetPath fs : filesystems) {
        out.put(fs, datasets.versions(s.require(argv, fs)));
      }
      return out;
    }
  }

  /**
   * One listing process, as {@code CliZfs} runs one {@code zfs get -d 1} (shown and counted as a
   * {@code zfs list}, like the fake's other listings).
   */
  @Override
  public Map<DatasetPath, VersionListing> listVersions(
      Collection<DatasetPath> filesystems, Set<String> properties) {
    if (properties.isEmpty()) {
      return VersionListing.of(listVersions(filesystems));
    }
    List<String> argv =
        new ArrayList<>(
            List.of(
                "zfs",
                "list",
                "-H",
                "-p",
                "-d",
                "1",
                "-t",
                "filesystem,volume,snapshot,bookmark",
                "-o",
                "name,guid,createtxg,creation," + String.join(",", new TreeSet<>(properties))));
    filesystems.forEach(f -> argv.add(f.toString()));
    synchronized (lock) {
      if (filesystems.isEmpty()) {
        return Map.of();
      }
      start(argv);
      Map<DatasetPath, VersionListing> out = new LinkedHashMap<>();
      for (DatasetPath fs : filesystems) {
        out.put(fs, versionListing(fs, s.require(argv, fs), properties, argv));
      }
      return out;
    }
  }

  /**
   * {@code fs}'s versions with {@code properties} of each snapshot and of itself. Holds the lock.
   */
  private VersionListing versionListing(
      DatasetPath fs, Dataset d, Set<String> properties, List<String> argv) {
    List<FilesystemVersion> versions = datasets.versions(d);
    Map<String, Map<String, Property>> snapshots = new HashMap<>();
    for (FilesystemVersion v : versions) {
      if (v.isSnapshot()) {
        snapshots.put(v.name(), datasets.getProperties(v.fullName(fs), properties, argv));
      }
    }
    return new VersionListing(
        versions, datasets.getProperties(fs.toString(), properties, argv), snapshots);
  }

  @Override
  public void snapshot(Collection<DatasetPath> filesystems, String name) {
    synchronized (lock) {
      datasets.snapshot(filesystems, name, this::start);
    }
  }

  @Override
  public void destroySnapshots(DatasetPath fs, Collection<String> names) {
    synchronized (lock) {
      datasets.destroySnapshots(fs, names, this::start);
    }
  }

  @Override
  public void destroyBookmark(DatasetPath fs, String name) {
    List<String> argv = List.of("zfs", "destroy", fs + "#" + name);
    synchronized (lock) {
      start(argv);
      datasets.destroyBookmark(fs, name, argv);
    }
  }

  @Override
  public void destroyDataset(DatasetPath fs, boolean recursive) {
    List<String> argv =
        recursive
            ? List.of("zfs", "destroy", "-r", fs.toString())
            : List.of("zfs", "destroy", fs.toString());
    synchronized (lock) {
      start(argv);
      datasets.destroyDataset(fs, recursive, argv);
    }
  }

  @Override
  public SendStream send(SendRequest request) {
    List<String> argv = FakeSend.argv(request);
    synchronized (lock) {
      start(argv);
      byte[] bytes = sender.send(request, argv);
      Long cut = sendCuts.poll();
      return new FakeSendStream(this, argv, bytes, cut == null ? -1 : cut);
    }
  }

  /**
   * The exact length of the stream {@link #send} would produce (the real {@code zfs send -nvP}
   * estimates); empty where the capabilities have no send size estimate. Not counted in {@link
   * #processesStarted} and never failed by {@link #failNext}: tests count and fail the streaming
   * sends, and an estimate must not take a failure meant for one.
   */
  @Override
  public OptionalLong estimateSendSize(SendRequest request) {
    if (!s.caps.sendSizeEstimate()) {
      return OptionalLong.empty();
    }
    List<String> argv = new ArrayList<>(FakeSend.argv(request));
    argv.add(2, "-nvP");
    synchronized (lock) {
      commands.add(List.copyOf(argv));
      return OptionalLong.of(sender.send(request, argv).length);
    }
  }

  @Override
  public ResumeTokenContents decodeResumeToken(String token) {
    List<String> argv = List.of("zfs", "send", "-nvt", token);
    synchronized (lock) {
      start(argv);
      if (!s.caps.resumableReceive()) {
        throw FakeState.unsupported(argv, s.caps, "invalid option 't'");
      }
    }
    FakeResumeToken t =
        FakeResumeToken.decode(token)
            .filter(x -> x.toName().indexOf('@') > 0)
            .orElseThrow(() -> FakeState.failed(argv, "resume token is corrupt\n"));
    return new ResumeTokenContents(
        t.toName(),
        t.toGuid(),
        t.fromGuid() == 0 ? OptionalLong.empty() : OptionalLong.of(t.fromGuid()),
        t.rawOk());
  }

  @Override
  public void receive(DatasetPath target, InputStream stream, ReceiveOptions options) {
    List<String> argv = FakeReceive.argv(target, options);
    synchronized (lock) {
      start(argv);
      if (options.resumable() && !s.caps.resumableReceive()) {
        throw FakeState.unsupported(argv, s.caps, "invalid option 's'");
      }
      if (!s.caps.receivePropertyOverrides()) {
        if (!options.setProperties().isEmpty()) {
          throw FakeState.unsupported(argv, s.caps, "invalid option 'o'");
        }
        if (!options.excludeProperties().isEmpty()) {
          throw FakeState.unsupported(argv, s.caps, "invalid option 'x'");
        }
      }
    }
    FakeDirectReceive.Tap t = tap;
    if (!pipes
        || !FakeDirectReceive.tryReceive(
            this, stream, in -> receiver.receive(target, in, options, argv), argv, t)) {
      receiver.receive(target, stream, options, argv);
    } else if (t != null) {
      tap = null;
    }
  }

  @Override
  public void abortResumableReceive(DatasetPath target) {
    List<String> argv = List.of("zfs", "recv", "-A", target.toString());
    synchronized (lock) {
      start(argv);
      if (!s.caps.resumableReceive()) {
        throw FakeState.unsupported(argv, s.caps, "invalid option 'A'");
      }
      receiver.abort(target, argv);
    }
  }

  @Override
  public void createFilesystem(
      DatasetPath path, Map<String, String> properties, boolean createParents) {
    List<String> argv = new ArrayList<>(List.of("zfs", "create"));
    if (createParents) {
      argv.add("-p");
    }
    new TreeMap<>(properties).forEach((k, v) -> argv.addAll(List.of("-o", k + "=" + v)));
    argv.add(path.toString());
    synchronized (lock) {
      start(argv);
      datasets.createFilesystem(path, properties, createParents, argv);
    }
  }

  @Override
  public Map<String, Property> getProperties(String name, Set<String> properties) {
    List<String> argv = getArgv(properties, List.of(name));
    synchronized (lock) {
      if (properties.isEmpty()) {
        return Map.of();
      }
      start(argv);
      return datasets.getProperties(name, properties, argv);
    }
  }

  /** {@code zfs get -Hp -o name,property,value,source props names...}, as the adapter runs it. */
  private static List<String> getArgv(Set<String> properties, List<String> names) {
    List<String> argv =
        new ArrayList<>(
            List.of(
                "zfs",
                "get",
                "-Hp",
                "-o",
                "name,property,value,source",
                String.join(",", new TreeSet<>(properties))));
    argv.addAll(names);
    return List.copyOf(argv);
  }

  /** One process for all, as {@code zfs get props ds...}. */
  @Override
  public Map<DatasetPath, Map<String, Property>> getPropertiesNow(
      Collection<DatasetPath> targets, Set<String> properties) {
    List<String> argv = getArgv(properties, targets.stream().map(DatasetPath::toString).toList());
    Map<DatasetPath, Map<String, Property>> out = new LinkedHashMap<>();
    synchronized (lock) {
      if (!properties.isEmpty()) {
        start(argv);
      }
      for (DatasetPath d : targets) {
        out.put(
            d,
            properties.isEmpty()
                ? Map.of()
                : datasets.getProperties(d.toString(), properties, argv));
      }
    }
    return out;
  }

  @Override
  public void setProperty(DatasetPath dataset, String property, String value) {
    List<String> argv = List.of("zfs", "set", property + "=" + value, dataset.toString());
    synchronized (lock) {
      start(argv);
      FakeProperties.set(s.require(argv, dataset), property, value, argv);
      s.nextTxg(dataset);
    }
  }

  /**
   * One process for all, as {@code zfs set property=value ds...}: every dataset that exists gets
   * the value; a missing one fails the command after the others are set (as ZFS does).
   */
  @Override
  public void setProperty(Collection<DatasetPath> datasets, String property, String value) {
    List<String> argv = new ArrayList<>(List.of("zfs", "set", property + "=" + value));
    datasets.forEach(d -> argv.add(d.toString()));
    synchronized (lock) {
      start(argv);
      ZfsException first = null;
      for (DatasetPath d : datasets) {
        try {
          FakeProperties.set(s.require(argv, d), property, value, argv);
          s.nextTxg(d);
        } catch (ZfsException e) {
          first = ZfsException.first(first, e);
        }
      }
      if (first != null) {
        throw first;
      }
    }
  }

  @Override
  public void inheritProperty(DatasetPath dataset, String property) {
    List<String> argv = List.of("zfs", "inherit", property, dataset.toString());
    synchronized (lock) {
      start(argv);
      FakeProperties.inherit(s.require(argv, dataset), property, argv);
      s.nextTxg(dataset);
    }
  }

  @Override
  public void hold(DatasetPath fs, String snapshot, String tag) {
    List<String> argv = List.of("zfs", "hold", tag, fs + "@" + snapshot);
    synchronized (lock) {
      start(argv);
      holds.hold(fs, snapshot, tag, argv);
    }
  }

  @Override
  public void release(DatasetPath fs, String snapshot, String tag) {
    List<String> argv = List.of("zfs", "release", tag, fs + "@" + snapshot);
    synchronized (lock) {
      start(argv);
      holds.release(fs, snapshot, tag, argv);
    }
  }

  @Override
  public Set<String> holds(DatasetPath fs, String snapshot) {
    List<String> argv = List.of("zfs", "holds", "-H", fs + "@" + snapshot);
    synchronized (lock) {
      start(argv);
      return holds.tags(fs, snapshot, argv);
    }
  }

  /** One {@code zfs holds -H fs@a fs@b ...} process, as {@code CliZfs} runs it. */
  @Override
  public Map<String, Set<String>> holds(DatasetPath fs, Collection<String> snapshots) {
    List<String> argv = new ArrayList<>(List.of("zfs", "holds", "-H"));
    snapshots.forEach(n -> argv.add(fs + "@" + n));
    synchronized (lock) {
      if (snapshots.isEmpty()) {
        return Map.of();
      }
      start(argv);
      Map<String, Set<String>> out = new TreeMap<>();
      for (String n : snapshots) {
        out.put(n, holds.tags(fs, n, argv));
      }
      return out;
    }
  }

  @Override
  public void bookmark(DatasetPath fs, String snapshot, String bookmark) {
    List<String> argv = List.of("zfs", "bookmark", fs + "@" + snapshot, fs + "#" + bookmark);
    synchronized (lock) {
      start(argv);
      datasets.bookmark(fs, snapshot, bookmark, argv);
    }
  }

  @Override
  public void rollback(DatasetPath fs, String snapshot, boolean destroyLaterSnapshots) {
    List<String> argv =
        destroyLaterSnapshots
            ? List.of("zfs", "rollback", "-r", fs + "@" + snapshot)
            : List.of("zfs", "rollback", fs + "@" + snapshot);
    synchronized (lock) {
      start(argv);
      datasets.rollback(fs, snapshot, destroyLaterSnapshots, argv);
    }
  }

  @Override
  public String toString() {
    return "InMemoryZfs[" + s.caps.flavour() + "]";
  }
}
