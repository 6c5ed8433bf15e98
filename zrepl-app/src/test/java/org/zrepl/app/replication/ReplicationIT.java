package org.zrepl.app.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.zrepl.app.endpoint.LocalReceiver;
import org.zrepl.app.endpoint.LocalSender;
import org.zrepl.domain.dataset.DatasetFilter;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.endpoint.Sender;
import org.zrepl.port.zfs.Property;
import org.zrepl.zfs.ZfsFixture;
import org.zrepl.zfs.ZfsFusePoolFixture;
import org.zrepl.zfs.cli.CliZfs;
import org.zrepl.zfs.cli.LaunchedProcess;
import org.zrepl.zfs.cli.LocalProcessLauncher;
import org.zrepl.zfs.cli.ProcessLauncher;

/** The engine's key scenarios against real ZFS (zfs-fuse here), on a file-backed test pool. */
class ReplicationIT {

  @RegisterExtension static final ZfsFusePoolFixture POOL = new ZfsFusePoolFixture();

  /** Counts {@code zfs <subcommand>} processes. */
  static final class CountingLauncher implements ProcessLauncher {
    private final ProcessLauncher delegate = new LocalProcessLauncher();
    final Map<String, Integer> counts = new ConcurrentHashMap<>();

    @Override
    public LaunchedProcess start(List<String> argv) throws IOException {
      counts.merge(argv.size() > 1 ? argv.get(1) : argv.get(0), 1, Integer::sum);
      return delegate.start(argv);
    }

    Map<String, Integer> snapshot() {
      return new HashMap<>(counts);
    }
  }

  private final CountingLauncher launcher = new CountingLauncher();
  private final CliZfs zfs = new CliZfs(launcher);
  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private ZfsFixture fixture;
  private DatasetPath src;
  private DatasetPath dst;

  @BeforeEach
  void roots() {
    fixture = POOL.fixture(zfs);
    src = fixture.newRoot();
    dst = fixture.newReceiveRoot();
    // zfs-fuse mounts what it receives, and the test reads files from there: without atime=off
    // reading would modify the replicas and the next incremental receive would be refused.
    zfs.setProperty(dst, "atime", "off");
  }

  private DatasetPath fs(String relative) {
    DatasetPath p = src.child(relative);
    zfs.createFilesystem(p, Map.of(), true);
    fixture.write(p, "f", relative.getBytes(StandardCharsets.UTF_8));
    return p;
  }

  private void snapshot(String name, DatasetPath... filesystems) {
    for (DatasetPath f : filesystems) {
      zfs.snapshot(List.of(f), name); // one by one: zfs-fuse has no multi-snapshot
    }
  }

  private DatasetPath target(DatasetPath source) {
    return dst.append(source.trimPrefix(src));
  }

  private DatasetFilter all() {
    return DatasetFilter.of(Map.of(src + "<", "ok", src.toString(), "!"));
  }

  private LocalSender sender(DatasetFilter filter) {
    return new LocalSender(zfs, filter, "it", Set.of());
  }

  private ReplicationReport run(Sender sender, ReplicationPolicy policy) {
    LocalReceiver receiver =
        new LocalReceiver(zfs, s -> Optional.of(dst.append(s.trimPrefix(src))), "it");
    return new ReplicationEngine(clock, clock::sleep)
        .run(sender, receiver, policy, ProgressListener.none());
  }

  private ReplicationReport run(DatasetFilter filter) {
    return run(sender(filter), ReplicationPolicy.defaults());
  }

  private List<String> snapshots(DatasetPath fs) {
    return zfs.listVersions(fs).stream()
        .filter(FilesystemVersion::isSnapshot)
        .map(FilesystemVersion::name)
        .toList();
  }

  private String read(DatasetPath fs) {
    return new String(fixture.read(fs, "f"), StandardCharsets.UTF_8);
  }

  @Test
  void aFullSendCarriesTheSnapshotsReferencedSizeAsItsEstimate() throws Exception {
    DatasetPath a = src.child("big");
    zfs.createFilesystem(a, Map.of(), true);
    byte[] data = new byte[3 << 20];
    new java.util.Random(7).nextBytes(data); // incompressible
    fixture.write(a, "f", data);
    snapshot("s1", a);
    FilesystemVersion s1 = zfs.listVersions(a).get(0);
    long referenced =
        Long.parseLong(
            zfs.getProperties(a + "@s1", Set.of("referenced")).get("referenced").value());
    LocalSender sender =
        new LocalSender(zfs, DatasetFilter.of(Map.of(src + "<", "ok")), "j", Set.of());

    org.zrepl.port.endpoint.SendStepResponse r =
        sender.send(
            org.zrepl.port.endpoint.SendStepRequest.of(
                a, org.zrepl.domain.replication.Step.full(s1)));
    long streamed;
    try (java.io.InputStream in = r.stream()) {
      streamed = in.transferTo(java.io.OutputStream.nullOutputStream());
    }

    assertThat(r.expectedSize()).hasValue(referenced);
    assertThat(referenced).isGreaterThanOrEqualTo(data.length);
    // the estimate is within 10% of what was actually sent
    assertThat((double) streamed)
        .isCloseTo((double) referenced, org.assertj.core.data.Percentage.withPercentage(10));
  }

  @Test
  void treeWithAGapReplicatesWithAPlaceholderThenIncrementally() {
    DatasetPath a = fs("a");
    DatasetPath b = fs("a/b");
    DatasetPath c = fs("a/b/c");
    snapshot("s1", a, b, c);
    DatasetFilter gap = DatasetFilter.of(Map.of(a.toString(), "ok", c.toString(), "ok"));

    ReplicationReport first = run(gap);

    assertThat(first.isSuccess()).as(first.describe()).isTrue();
    assertThat(zfs.getProperties(target(b).toString(), Set.of("zrepl:placeholder")))
        .containsEntry("zrepl:placeholder", Property.local("on"));
    assertThat(snapshots(target(b))).isEmpty();
    assertThat(snapshots(target(c))).containsExactly("s1");
    assertThat(read(target(c))).isEqualTo("a/b/c");

    fixture.write(c, "f", "second".getBytes(StandardCharsets.UTF_8));
    snapshot("s2", a, c);
    snapshot("s3", c);
    ReplicationReport second = run(gap);

    assertThat(second.isSuccess()).as(second.describe()).isTrue();
    assertThat(snapshots(target(c))).containsExactly("s1", "s2", "s3");
    assertThat(read(target(c))).isEqualTo("second");
    assertThat(first.guaranteesOff())
        .isEqualTo(
            ReplicationEngine.guaranteesOff(
                sender(gap), new LocalReceiver(zfs, Optional::of, "it")));
  }

  @Test
  void divergedReceiverIsReportedAndNothingIsDestroyed() {
    DatasetPath a = fs("a");
    snapshot("s1", a);
    assertThat(run(all()).isSuccess()).isTrue();
    snapshot("s2", a);
    snapshot("mine", target(a));

    ReplicationReport report = run(all());

    FilesystemResult r = report.result(a).orElseThrow();
    assertThat(r).isInstanceOf(FilesystemResult.ConflictFound.class);
    assertThat(r.describe()).contains("@s1", "@mine", "@s2");
    assertThat(snapshots(target(a))).containsExactly("s1", "mine");
  }

  @Test
  void cutStreamIsCompletedByTheNextRunAndLeavesNothingPartial() {
    DatasetPath a = fs("a");
    fixture.write(a, "big", "z".repeat(200_000).getBytes(StandardCharsets.UTF_8));
    snapshot("s1", a);

    ReplicationReport cut =
        run(
            new TruncatingSender(sender(all()), 50_000),
            ReplicationPolicy.defaults().withMaxAttempts(1));

    FilesystemResult failed = cut.result(a).orElseThrow();
    assertThat(failed).isInstanceOf(FilesystemResult.Failed.class);
    assertThat(((FilesystemResult.Failed) failed).temporary()).isTrue();
    if (!zfs.capabilities().resumableReceive()) {
      assertThat(zfs.listDatasets(List.of(dst), Set.of()))
          .extracting(d -> d.path())
          .containsExactly(dst);
    }

    ReplicationReport again = run(all());

    assertThat(again.isSuccess()).as(again.describe()).isTrue();
    assertThat(new String(fixture.read(target(a), "big"), StandardCharsets.UTF_8)).hasSize(200_000);
  }

  @Test
  void placeholderIsPromotedWhenItsOwnDataArrives() {
    DatasetPath b = fs("p/b");
    DatasetPath c = fs("p/b/c");
    DatasetPath lone = fs("q/lone");
    DatasetPath loneChild = fs("q/lone/child");
    snapshot("s1", b, c, lone, loneChild);
    assertThat(
            run(DatasetFilter.of(Map.of(c.toString(), "ok", loneChild.toString(), "ok")))
                .isSuccess())
        .isTrue();
    zfs.destroyDataset(target(loneChild), true); // the placeholder above it is now childless

    ReplicationReport report =
        run(DatasetFilter.of(Map.of(b.toString(), "ok", lone.toString(), "ok")));

    assertThat(report.result(lone).orElseThrow())
        .as(report.describe())
        .isInstanceOf(FilesystemResult.Ok.class);
    assertThat(zfs.getProperties(target(lone).toString(), Set.of("zrepl:placeholder")))
        .doesNotContainEntry("zrepl:placeholder", Property.local("on"));
    assertThat(read(target(lone))).isEqualTo("q/lone");
    // zfs-fuse's recv -F replaces an unmounted (canmount=off) placeholder that has children
    assertThat(report.result(b).orElseThrow()).isInstanceOf(FilesystemResult.Ok.class);
    assertThat(zfs.getProperties(target(b).toString(), Set.of("zrepl:placeholder")))
        .doesNotContainEntry("zrepl:placeholder", Property.local("on"));
    assertThat(read(target(b))).isEqualTo("p/b");
    assertThat(snapshots(target(c))).containsExactly("s1");
  }

  @Test
  void concurrentStepsOnRealZfs() {
    DatasetPath[] all = new DatasetPath[6];
    for (int i = 0; i < all.length; i++) {
      all[i] = fs("c" + i);
      snapshot("s1", all[i]);
      fixture.write(all[i], "f", ("second " + i).getBytes(StandardCharsets.UTF_8));
      snapshot("s2", all[i]);
    }
    ReplicationPolicy policy =
        ReplicationPolicy.defaults()
            .withConcurrencySteps(3)
            .withPlanning(
                org.zrepl.domain.replication.PlanningPolicy.defaults()
                    .withInitialReplication(org.zrepl.domain.replication.InitialReplication.ALL));

    ReplicationReport report = run(sender(all()), policy);

    assertThat(report.isSuccess()).as(report.describe()).isTrue();
    for (int i = 0; i < all.length; i++) {
      assertThat(snapshots(target(all[i]))).containsExactly("s1", "s2");
      assertThat(read(target(all[i]))).isEqualTo("second " + i);
    }
  }

  @Test
  void noOpCycleStartsAConstantNumberOfProcessesFor5Or25Datasets() {
    Map<String, Integer> five = noOpProcesses("five", 5);
    Map<String, Integer> twentyFive = noOpProcesses("twentyfive", 25);

    assertThat(twentyFive).isEqualTo(five);
    // four listings (sender and receiver filesystems, sender and receiver versions); CliZfs may
    // implement a listing with zfs list or zfs get
    assertThat(five.values().stream().mapToInt(Integer::intValue).sum())
        .as("zfs processes of a no-op run: " + five)
        .isEqualTo(4);
    assertThat(five.keySet()).isSubsetOf("list", "get");
  }

  private Map<String, Integer> noOpProcesses(String name, int datasets) {
    DatasetPath root = fs(name);
    snapshot("s0", root);
    for (int i = 0; i < datasets; i++) {
      DatasetPath d = fs(name + "/d" + i);
      snapshot("s1", d);
    }
    DatasetFilter filter = DatasetFilter.of(Map.of(root + "<", "ok"));
    assertThat(run(filter).isSuccess()).isTrue();
    Map<String, Integer> before = launcher.snapshot();

    ReplicationReport noOp = run(filter);

    assertThat(noOp.isSuccess()).isTrue();
    assertThat(noOp.results()).hasSize(datasets + 1);
    Map<String, Integer> delta = new HashMap<>();
    launcher
        .snapshot()
        .forEach(
            (op, n) -> {
              int d = n - before.getOrDefault(op, 0);
              if (d != 0) {
                delta.put(op, d);
              }
            });
    return delta;
  }
}
