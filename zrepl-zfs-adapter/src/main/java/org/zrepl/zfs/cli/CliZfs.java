package org.zrepl.zfs.cli;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.zfs.DatasetBusyException;
import org.zrepl.port.zfs.DatasetInfo;
import org.zrepl.port.zfs.DatasetTree;
import org.zrepl.port.zfs.Property;
import org.zrepl.port.zfs.ReceiveOptions;
import org.zrepl.port.zfs.ResumeTokenContents;
import org.zrepl.port.zfs.SendFlag;
import org.zrepl.port.zfs.SendRequest;
import org.zrepl.port.zfs.SendStream;
import org.zrepl.port.zfs.UnsupportedZfsFeatureException;
import org.zrepl.port.zfs.VersionListing;
import org.zrepl.port.zfs.Zfs;
import org.zrepl.port.zfs.ZfsCapabilities;
import org.zrepl.port.zfs.ZfsException;

/**
 * The {@link Zfs} port on top of the real {@code zfs} command. Every command goes through the
 * {@link ProcessLauncher} given to the constructor, so the same class drives a local ZFS or one
 * reached over ssh. Capabilities are probed on first use ({@link CapabilityProbe}) and decide which
 * command lines are used; listings run one process however many datasets there are.
 *
 * <p>Where the installed ZFS lacks a feature and its own error would be unclear or would come too
 * late (after consuming a stream), this class throws {@link UnsupportedZfsFeatureException} before
 * running anything; those exceptions carry the command line that would have run and exit code -1.
 */
public final class CliZfs implements Zfs {

  /** Datasets per {@code zfs set} of {@link #setProperty(Collection, String, String)}. */
  static final int SET_CHUNK = 200;

  private final ShortCommandRunner runner;
  private volatile ZfsDialect dialect;

  public CliZfs(ProcessLauncher launcher) {
    this.runner = new ShortCommandRunner(launcher);
  }

  /** For tests that script the launcher: skips the probe. */
  CliZfs(ProcessLauncher launcher, ZfsDialect dialect) {
    this(launcher);
    this.dialect = Objects.requireNonNull(dialect, "dialect");
  }

  ZfsDialect dialect() {
    ZfsDialect d = dialect;
    if (d == null) {
      synchronized (this) {
        d = dialect;
        if (d == null) {
          d = probe();
          dialect = d;
        }
      }
    }
    return d;
  }

  /**
   * Runs the capability probes. They do not depend on each other's output, except that {@code zpool
   * upgrade -v} is only needed without {@code zfs version}: {@code zfs version}, {@code zfs -?} and
   * {@code zfs holds} are started together (the invocation waits for the slowest, not the sum of
   * three round trips to the ZFS; {@code holds}' answer is used only where the usage lists it).
   */
  private ZfsDialect probe() {
    CompletableFuture<CommandResult> version = alongside(CapabilityProbe.VERSION);
    CompletableFuture<CommandResult> holdsProbe = alongside(CapabilityProbe.HOLDS);
    CommandResult usage = runner.run(CapabilityProbe.USAGE);
    CommandResult versionResult = joined(version);
    CommandResult holdsResult = joined(holdsProbe);
    if (usage.stdout().isBlank() && usage.stderr().isBlank()) {
      throw new ZfsException(usage.argv(), usage.exitCode(), "printed no usage text");
    }
    String usageText = usage.stdout().isBlank() ? usage.stderr() : usage.stdout();
    Optional<String> poolVersions =
        CapabilityProbe.hasVersionCommand(versionResult)
            ? Optional.empty()
            : Optional.of(runner.run(CapabilityProbe.POOL_VERSIONS).stdout());
    Optional<CommandResult> holds =
        CapabilityProbe.synopses(usageText).containsKey("holds")
            ? Optional.of(holdsResult)
            : Optional.empty();
    return CapabilityProbe.parse(versionResult, usageText, poolVersions, holds);
  }

  /** Runs {@code argv} on a thread of its own (a probe; not the common pool, one CPU here). */
  private CompletableFuture<CommandResult> alongside(List<String> argv) {
    return CompletableFuture.supplyAsync(
        () -> runner.run(argv),
        task -> {
          Thread t = new Thread(task, "zfs-probe " + argv.get(1));
          t.setDaemon(true);
          t.start();
        });
  }

  private static CommandResult joined(CompletableFuture<CommandResult> f) {
    try {
      return f.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }

  @Override
  public ZfsCapabilities capabilities() {
    return dialect().capabilities();
  }

  @Override
  public List<DatasetInfo> listDatasets(Collection<DatasetPath> roots, Set<String> properties) {
    List<String> argv = ZfsCommands.listDatasets(dialect(), roots, properties);
    CommandResult r = runner.runChecked(argv);
    return Listings.datasets(ZfsGetParser.parse(r.stdout(), true), properties);
  }

  /**
   * On a ZFS whose {@code zfs get} cannot filter by type and which has no bookmarks (zfs-fuse): one
   * {@code zfs get -r} that prints the datasets and every snapshot's rows, which {@link
   * #listDatasets} prints too and drops. Elsewhere empty.
   */
  @Override
  public Optional<DatasetTree> listDatasetsWithVersions(
      Collection<DatasetPath> roots, Set<String> properties, Set<String> snapshotProperties) {
    ZfsDialect d = dialect();
    if (d.getTypeFilter() || d.capabilities().bookmarks()) {
      return Optional.empty();
    }
    List<String> argv =
        ZfsCommands.listDatasetsWithVersions(d, roots, properties, snapshotProperties);
    CommandResult r = runner.runChecked(argv);
    try {
      return Optional.of(
          Listings.datasetTree(
              ZfsGetParser.parse(r.stdout(), true), properties, snapshotProperties));
    } catch (IllegalArgumentException e) {
      throw new ZfsException(argv, r.exitCode(), "unexpected output: " + e.getMessage(), e);
    }
  }

  @Override
  public Map<DatasetPath, List<FilesystemVersion>> listVersions(
      Collection<DatasetPath> filesystems) {
    if (filesystems.isEmpty()) {
      return Map.of();
    }
    List<String> argv = ZfsCommands.listVersions(dialect(), filesystems);
    CommandResult r = runner.runChecked(argv);
    return Listings.versions(ZfsGetParser.parse(r.stdout(), false), filesystems);
  }

  @Override
  public Map<DatasetPath, VersionListing> listVersions(
      Collection<DatasetPath> filesystems, Set<String> properties) {
    if (properties.isEmpty() || filesystems.isEmpty()) {
      return VersionListing.of(listVersions(filesystems));
    }
    List<String> argv = ZfsCommands.listVersions(dialect(), filesystems, properties);
    CommandResult r = runner.runChecked(argv);
    try {
      return Listings.versionListings(
          ZfsGetParser.parse(r.stdout(), true), filesystems, properties);
    } catch (IllegalArgumentException e) {
      throw new ZfsException(argv, r.exitCode(), "unexpected output: " + e.getMessage(), e);
    }
  }

  @Override
  public void snapshot(Collection<DatasetPath> filesystems, String name) {
    if (filesystems.isEmpty()) {
      return;
    }
    if (filesystems.size() == 1 || capabilities().atomicMultiSnapshot()) {
      runner.runChecked(ZfsCommands.snapshot(filesystems, name));
      return;
    }
    List<List<String>> commands = new ArrayList<>();
    for (DatasetPath fs : new LinkedHashSet<>(filesystems)) {
      commands.add(ZfsCommands.snapshot(List.of(fs), name));
    }
    runAllThenThrowFirst(commands);
  }

  @Override
  public void destroySnapshots(DatasetPath fs, Collection<String> names) {
    if (names.isEmpty()) {
      return;
    }
    if (capabilities().batchDestroy()) {
      runAllThenThrowFirst(ZfsCommands.destroySnapshotsBatched(fs, names));
      return;
    }
    List<List<String>> commands = new ArrayList<>();
    for (String n : new LinkedHashSet<>(names)) {
      commands.add(ZfsCommands.destroy(ZfsCommands.snapshotName(fs, n), false));
    }
    runAllThenThrowFirst(commands);
  }

  /** Runs every command even if some fail; throws the first failure with the rest suppressed. */
  private void runAllThenThrowFirst(List<List<String>> commands) {
    ZfsException first = null;
    for (List<String> argv : commands) {
      CommandResult r = runner.run(argv);
      if (!r.ok()) {
        first = ZfsException.first(first, ErrorClassifier.classify(r));
      }
    }
    if (first != null) {
      throw first;
    }
  }

  @Override
  public void destroyBookmark(DatasetPath fs, String name) {
    List<String> argv = ZfsCommands.destroy(ZfsCommands.bookmarkName(fs, name), false);
    require(capabilities().bookmarks(), argv, "bookmarks");
    runner.runChecked(argv);
  }

  /** How often a "dataset is busy" destroy is re-run where that is transient (zfs-fuse). */
  static final int BUSY_RERUNS = 20;

  @Override
  public void destroyDataset(DatasetPath fs, boolean recursive) {
    List<String> argv = ZfsCommands.destroy(fs.toString(), recursive);
    CommandResult r = runner.run(argv);
    for (int i = 0; i < BUSY_RERUNS && !r.ok() && dialect().transientlyBusyDestroy(); i++) {
      if (!(ErrorClassifier.classify(r) instanceof DatasetBusyException)) {
        break;
      }
      r = runner.run(argv);
    }
    if (!r.ok()) {
      throw ErrorClassifier.classify(r);
    }
  }

  @Override
  public SendStream send(SendRequest request) {
    List<String> argv = ZfsCommands.send(request);
    checkSend(request, argv);
    return new ProcessSendStream(argv, runner);
  }

  @Override
  public OptionalLong estimateSendSize(SendRequest request) {
    List<String> argv = ZfsCommands.sendEstimate(request);
    if (!capabilities().sendSizeEstimate()) {
      return OptionalLong.empty();
    }
    checkSend(request, argv);
    return SendSizeParser.parse(argv, runner.runChecked(argv).stdout());
  }

  /** What a send needs that this ZFS may lack, checked before anything runs. */
  private void checkSend(SendRequest request, List<String> argv) {
    ZfsCapabilities c = capabilities();
    require(
        !request.from().map(f -> f.startsWith("#")).orElse(false) || c.bookmarks(),
        argv,
        "incremental send from a bookmark");
    require(request.resumeToken().isEmpty() || c.resumableReceive(), argv, "resumable send");
    require(!request.flags().contains(SendFlag.RAW) || c.rawSend(), argv, "raw send (-w)");
  }

  @Override
  public ResumeTokenContents decodeResumeToken(String token) {
    List<String> argv =
        new ArrayList<>(ZfsCommands.send(SendRequest.resume(DatasetPath.of("x"), token, Set.of())));
    argv.add(2, "-nv");
    require(capabilities().resumableReceive(), argv, "resumable send (-t)");
    // Exits non-zero when the named snapshot is gone, yet still prints the token's contents.
    return ResumeTokenParser.parse(runner.run(argv));
  }

  @Override
  public void receive(DatasetPath target, InputStream stream, ReceiveOptions options) {
    List<String> argv = ZfsCommands.receive(target, options);
    ZfsCapabilities c = capabilities();
    require(!options.resumable() || c.resumableReceive(), argv, "resumable receive (-s)");
    require(
        (options.setProperties().isEmpty() && options.excludeProperties().isEmpty())
            || c.receivePropertyOverrides(),
        argv,
        "receive property overrides (-o/-x)");
    if (!PipedReceive.tryReceive(runner, argv, stream)) {
      StreamReceiver.copyInto(argv, runner.start(argv), stream);
    }
  }

  @Override
  public void abortResumableReceive(DatasetPath target) {
    List<String> argv = List.of("zfs", "recv", "-A", target.toString());
    require(capabilities().resumableReceive(), argv, "resumable receive (-A)");
    runner.runChecked(argv);
  }

  @Override
  public void createFilesystem(
      DatasetPath path, Map<String, String> properties, boolean createParents) {
    runner.runChecked(ZfsCommands.create(path, properties, createParents));
  }

  @Override
  public Map<String, Property> getProperties(String name, Set<String> properties) {
    if (properties.isEmpty()) {
      return Map.of();
    }
    CommandResult r = runner.runChecked(ZfsCommands.get(name, properties));
    Map<String, Property> out = new HashMap<>();
    for (GetRow row : ZfsGetParser.parse(r.stdout(), true)) {
      if (row.name().equals(name) && properties.contains(row.property()) && !row.isUnset()) {
        out.put(row.property(), row.toProperty());
      }
    }
    return Map.copyOf(out);
  }

  /** One {@code zfs get} per 200 datasets. */
  @Override
  public Map<DatasetPath, Map<String, Property>> getPropertiesNow(
      Collection<DatasetPath> datasets, Set<String> properties) {
    List<DatasetPath> all = List.copyOf(datasets);
    Map<DatasetPath, Map<String, Property>> out = new LinkedHashMap<>();
    all.forEach(d -> out.put(d, new HashMap<>()));
    if (properties.isEmpty()) {
      return out;
    }
    for (int i = 0; i < all.size(); i += SET_CHUNK) {
      List<DatasetPath> chunk = all.subList(i, Math.min(all.size(), i + SET_CHUNK));
      CommandResult r = runner.runChecked(ZfsCommands.get(chunk, properties));
      for (GetRow row : ZfsGetParser.parse(r.stdout(), true)) {
        Map<String, Property> of =
            DatasetPath.isValid(row.name()) ? out.get(DatasetPath.of(row.name())) : null;
        if (of != null && properties.contains(row.property()) && !row.isUnset()) {
          of.put(row.property(), row.toProperty());
        }
      }
    }
    out.replaceAll((d, m) -> Map.copyOf(m));
    return out;
  }

  @Override
  public void setProperty(DatasetPath dataset, String property, String value) {
    runner.runChecked(ZfsCommands.set(dataset, property, value));
  }

  /** One {@code zfs set} for every dataset (a chunk of at most 200 names per process). */
  @Override
  public void setProperty(Collection<DatasetPath> datasets, String property, String value) {
    List<DatasetPath> all = List.copyOf(datasets);
    List<List<String>> commands = new ArrayList<>();
    for (int i = 0; i < all.size(); i += SET_CHUNK) {
      commands.add(
          ZfsCommands.set(all.subList(i, Math.min(all.size(), i + SET_CHUNK)), property, value));
    }
    runAllThenThrowFirst(commands);
  }

  @Override
  public void inheritProperty(DatasetPath dataset, String property) {
    runner.runChecked(ZfsCommands.inherit(dataset, property));
  }

  @Override
  public void hold(DatasetPath fs, String snapshot, String tag) {
    runner.runChecked(ZfsCommands.hold("hold", fs, snapshot, tag));
  }

  @Override
  public void release(DatasetPath fs, String snapshot, String tag) {
    runner.runChecked(ZfsCommands.hold("release", fs, snapshot, tag));
  }

  @Override
  public Set<String> holds(DatasetPath fs, String snapshot) {
    List<String> argv = ZfsCommands.holds(fs, snapshot);
    require(capabilities().holds(), argv, "listing holds (zfs holds)");
    return HoldsParser.tags(runner.runChecked(argv).stdout());
  }

  @Override
  public Map<String, Set<String>> holds(DatasetPath fs, Collection<String> snapshots) {
    if (snapshots.isEmpty()) {
      return Map.of();
    }
    List<String> argv = ZfsCommands.holds(fs, snapshots);
    require(capabilities().holds(), argv, "listing holds (zfs holds)");
    return HoldsParser.bySnapshot(fs.toString(), snapshots, runner.runChecked(argv).stdout());
  }

  @Override
  public void bookmark(DatasetPath fs, String snapshot, String bookmark) {
    List<String> argv = ZfsCommands.bookmark(fs, snapshot, bookmark);
    require(capabilities().bookmarks(), argv, "bookmarks");
    runner.runChecked(argv);
  }

  @Override
  public void rollback(DatasetPath fs, String snapshot, boolean destroyLaterSnapshots) {
    runner.runChecked(ZfsCommands.rollback(fs, snapshot, destroyLaterSnapshots));
  }

  private void require(boolean supported, List<String> argv, String feature) {
    if (!supported) {
      throw new UnsupportedZfsFeatureException(
          argv, -1, capabilities().flavour() + " does not support " + feature);
    }
  }
}
