package org.zrepl.app.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.zrepl.app.config.Job;
import org.zrepl.app.endpoint.EndpointNames;
import org.zrepl.app.endpoint.TargetCursors;
import org.zrepl.app.job.FanOutChecks;
import org.zrepl.app.job.ReplicationJob;
import org.zrepl.app.job.ReplicationJobState;
import org.zrepl.app.remote.Transports;
import org.zrepl.app.replication.FilesystemResult;
import org.zrepl.app.testing.ManualClock;
import org.zrepl.app.testing.ManualScheduler;
import org.zrepl.app.testing.TestConfigs;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.zfs.Zfs;
import org.zrepl.transport.rpc.FramedRpc;
import org.zrepl.transport.tls.TestPki;
import org.zrepl.transport.wires.NetworkWires;
import org.zrepl.zfs.ZfsFixture;
import org.zrepl.zfs.process.LocalCommandRunner;

/**
 * Fan-out on a real ZFS over real transports, as the daemon puts the jobs together: {@code push}
 * jobs to two {@code sink} servers over loopback tcp, and one {@code source} served over tls to two
 * {@code pull} jobs with client certificates of two identities. Target (or puller) B is away for
 * four rounds while A replicates and the sending side prunes ({@code not_replicated} + {@code
 * last_n 2}); B then continues incrementally from its own base, which survived as a snapshot
 * (zfs-fuse: recorded in {@code zrepl:cursors}) or as B's cursor bookmark (OpenZFS: the snapshot
 * itself was pruned). Used by {@code RemoteFanOutIT} (zfs-fuse) and {@code OpenZfsRemoteFanOutIT}.
 */
public final class RemoteFanOut implements AutoCloseable {
  private static final int AWAY_ROUNDS = 4;

  private final ZfsFixture fx;
  private final Zfs zfs;
  private final Path dir;
  private final ManualClock clock =
      new ManualClock(Clock.systemUTC().instant().truncatedTo(ChronoUnit.SECONDS));
  private final JobDependencies deps;
  private final Transports transports;
  private final Deque<AutoCloseable> open = new ArrayDeque<>();
  private final boolean bookmarks;

  private DatasetPath src;
  private List<DatasetPath> tree;

  /** On {@code fx}'s ZFS; TLS files go to {@code dir}. */
  public RemoteFanOut(ZfsFixture fx, Path dir) {
    this.fx = fx;
    this.zfs = fx.zfs();
    this.dir = dir;
    this.deps =
        new JobDependencies(
            zfs,
            new LocalCommandRunner(),
            clock,
            clock::advance,
            new NetworkWires(clock),
            new FramedRpc());
    this.transports = new Transports(deps.wires());
    this.bookmarks = zfs.capabilities().bookmarks();
  }

  // ---- push -> two sinks ----

  /**
   * Two push jobs of one host ({@code to_a}, {@code to_b}, sending pruning {@code not_replicated
   * targets: T} + {@code last_n 2}) to two sinks on loopback tcp; sink B is stopped for four
   * rounds.
   */
  public void pushToTwoSinks(String targets) throws IOException {
    sourceTree();
    DatasetPath rootA = fx.newReceiveRoot();
    DatasetPath rootB = fx.newReceiveRoot();
    zfs.setProperty(rootA, "atime", "off");
    zfs.setProperty(rootB, "atime", "off");
    int portA = freePort();
    int portB = freePort();
    Job.Sink sinkA = sink(rootA, portA);
    Job.Sink sinkB = sink(rootB, portB);
    serve(ServingJobRuntime.sink(sinkA, deps, transports));
    JobRuntime b = serve(ServingJobRuntime.sink(sinkB, deps, transports));
    String host = pushes(portA, portB, targets);
    ReplicationJob toA = open((Job.Push) TestConfigs.job(host, "to_a"));
    ReplicationJob toB = open((Job.Push) TestConfigs.job(host, "to_b"));

    snapshot(1);
    Map<DatasetPath, FilesystemVersion> s1 = versions("s1");
    ok(toA.runOnce());
    ok(toB.runOnce());
    Map<DatasetPath, Long> s1OnB = guidsOn(rootB.child("laptop"), "s1");

    b.stop();
    for (int n = 2; n <= 1 + AWAY_ROUNDS; n++) {
      snapshot(n);
      ok(toA.runOnce());
      ReplicationJobState away = toB.runOnce();
      assertThat(away.errors())
          .as("round %d: sink B is down", n)
          .isNotEmpty()
          .anySatisfy(e -> assertThat(e).contains("127.0.0.1:" + portB));
      baseOfBSurvived("to_b", s1, targets, n);
    }

    serve(ServingJobRuntime.sink(sinkB, deps, transports));
    ReplicationJobState back = toB.runOnce();

    continuedIncrementally(back, "to_b", s1, rootB.child("laptop"), s1OnB);
    guidsEqual(rootA.child("laptop"), "s5");
    ok(toA.runOnce());
    assertThat(snapshots()).as("both have s5: last_n 2 alone decides").containsExactly("s4", "s5");
  }

  private Job.Sink sink(DatasetPath root, int port) {
    String yaml =
        """
        jobs:
        - name: backups
          type: sink
          root_fs: %s
          serve: { type: tcp, listen: "127.0.0.1:%d", clients: { "127.0.0.1": laptop } }
          recv: { placeholder: { encryption: inherit } }
        """
            .formatted(root, port);
    return (Job.Sink) TestConfigs.job(yaml, "backups");
  }

  private String pushes(int portA, int portB, String targets) {
    String job =
        """
        - name: %s
          type: push
          connect: { type: tcp, address: "127.0.0.1:%d" }
          filesystems: { "%s<": true }
          snapshotting: { type: manual }
          pruning:
            keep_sender:
            - { type: not_replicated, targets: %s }
            - { type: last_n, count: 2 }
            keep_receiver: [ { type: regex, regex: ".*" } ]
        """;
    return "jobs:\n"
        + job.formatted("to_a", portA, src, targets)
        + job.formatted("to_b", portB, src, targets);
  }

  // ---- one source -> two pullers ----

  /**
   * One source ({@code laptop}, tls, {@code client_cns: [alpha, beta]}, its own pruning {@code
   * not_replicated targets: T} + {@code last_n 2}) pulled by {@code alpha} and {@code beta} (pull
   * jobs keeping everything on the sender: the source prunes); beta is away for four rounds.
   * Returns the source job's status at the end.
   */
  public JobStatus oneSourceTwoPullers(String targets) throws IOException {
    sourceTree();
    DatasetPath rootA = fx.newReceiveRoot();
    DatasetPath rootB = fx.newReceiveRoot();
    zfs.setProperty(rootA, "atime", "off");
    zfs.setProperty(rootB, "atime", "off");
    TestPki pki = TestPki.create("fan-out test CA");
    Path ca = pki.writeCa(dir.resolve("ca.crt"));
    Instant now = Instant.now();
    TestPki.Issued server =
        pki.issue(
            dir,
            "laptop.test",
            List.of("laptop.test"),
            now.minusSeconds(60),
            now.plus(Duration.ofDays(1)),
            TestPki.KeyFormat.PKCS1_RSA);
    int port = freePort();
    JobRuntime source =
        serve(SourceJobRuntime.of(source(ca, server, port, targets), deps, transports));
    ReplicationJob alpha = open(puller("alpha", rootA, ca, pki.issue(dir, "alpha"), port));
    ReplicationJob beta = open(puller("beta", rootB, ca, pki.issue(dir, "beta"), port));

    snapshot(1);
    Map<DatasetPath, FilesystemVersion> s1 = versions("s1");
    ok(alpha.runOnce());
    ok(beta.runOnce());
    Map<DatasetPath, Long> s1OnB = guidsOn(rootB, "s1");

    for (int n = 2; n <= 1 + AWAY_ROUNDS; n++) {
      snapshot(n);
      ok(alpha.runOnce());
      pruneNow(source);
      baseOfBSurvived(EndpointNames.forSourceClient("laptop", "beta").job(), s1, targets, n);
    }
    JobStatus whileAway = source.status();
    assertThat(whileAway.pullers())
        .as("each puller's lag, separately")
        .hasSize(2 * tree.size())
        .allSatisfy(
            p ->
                assertThat(p.snapshot())
                    .isEqualTo(p.client().equals("alpha") ? "s" + (1 + AWAY_ROUNDS) : "s1"));
    Map<DatasetPath, FilesystemVersion> newest = versions("s" + (1 + AWAY_ROUNDS));
    assertThat(Metrics.pullerLag(List.of(whileAway)))
        .hasSize(2 * tree.size())
        .allSatisfy(
            lag ->
                assertThat(lag.newest())
                    .as("lag gauge of %s on %s", lag.client(), lag.filesystem())
                    .isEqualTo(
                        (lag.client().equals("alpha") ? newest : s1)
                            .get(DatasetPath.of(lag.filesystem()))
                            .creation()));

    ReplicationJobState back = beta.runOnce();

    continuedIncrementally(
        back, EndpointNames.forSourceClient("laptop", "beta").job(), s1, rootB, s1OnB);
    guidsEqual(rootA, "s5");
    pruneNow(source);
    assertThat(snapshots()).as("both have s5: last_n 2 alone decides").containsExactly("s4", "s5");
    JobStatus end = source.status();
    assertThat(end.pullers()).allSatisfy(p -> assertThat(p.snapshot()).isEqualTo("s5"));
    return end;
  }

  private Job.Source source(Path ca, TestPki.Issued cert, int port, String targets) {
    String yaml =
        """
        jobs:
        - name: laptop
          type: source
          serve: { type: tls, listen: "127.0.0.1:%d", ca: "%s", cert: "%s", key: "%s",
                   client_cns: [ alpha, beta ] }
          filesystems: { "%s<": true }
          snapshotting: { type: manual }
          pruning:
            keep:
            - { type: not_replicated, targets: %s }
            - { type: last_n, count: 2 }
        """
            .formatted(port, ca, cert.cert(), cert.key(), src, targets);
    return (Job.Source) TestConfigs.job(yaml, "laptop");
  }

  private static Job.Pull puller(
      String name, DatasetPath root, Path ca, TestPki.Issued cert, int port) {
    String yaml =
        """
        jobs:
        - name: %s
          type: pull
          connect: { type: tls, address: "127.0.0.1:%d", ca: "%s", cert: "%s", key: "%s",
                     server_cn: laptop.test }
          root_fs: %s
          interval: manual
          recv: { placeholder: { encryption: inherit } }
          pruning:
            keep_sender: [ { type: regex, regex: ".*" } ]
            keep_receiver: [ { type: regex, regex: ".*" } ]
        """
            .formatted(name, port, ca, cert.cert(), cert.key(), root);
    return (Job.Pull) TestConfigs.job(yaml, name);
  }

  /**
   * {@code signal wakeup} on the source (it prunes on its own thread), then waits for the round
   * that started at the clock's new time to end.
   */
  private void pruneNow(JobRuntime source) {
    clock.advance(Duration.ofMinutes(1));
    String at = JobStatus.time(java.util.Optional.of(clock.instant()));
    source.wakeup();
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (!source.status().lastRunAt().equals(at)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "the source's prune of " + at + " did not end within 2 minutes: " + source.status());
      }
      try {
        Thread.sleep(50); // the source prunes on its own thread; nothing to wait on but its status
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    assertThat(source.status().errors()).as("the source's pruning").isEmpty();
  }

  // ---- what both scenarios check ----

  /**
   * After round {@code n} with B away: the sender has what B needs to continue. {@code targets:
   * all}: every snapshot since s1. {@code this_job}: on zfs-fuse B's base s1 (recorded in {@code
   * zrepl:cursors}) besides last_n's two; on OpenZFS only last_n's two and B's cursor bookmark.
   */
  private void baseOfBSurvived(
      String jobOfB, Map<DatasetPath, FilesystemVersion> s1Sent, String targets, int n) {
    for (DatasetPath fs : tree) {
      long s1 = s1Sent.get(fs).guid();
      List<String> expected = new ArrayList<>();
      if (targets.equals("all")) {
        for (int i = 1; i <= n; i++) {
          expected.add("s" + i);
        }
      } else {
        if (!bookmarks || n <= 2) {
          expected.add("s1");
        }
        for (int i = Math.max(2, n - 1); i <= n; i++) {
          expected.add("s" + i);
        }
      }
      assertThat(FanOutChecks.guids(zfs, fs).keySet())
          .as("round %d, %s: what the sender kept (B is at s1)", n, fs)
          .containsExactlyElementsOf(expected);
      if (bookmarks) {
        assertThat(bookmarks(fs))
            .as("B's cursor bookmark on %s", fs)
            .contains(EndpointNames.forJob(jobOfB).cursorBookmark(s1));
      } else {
        assertThat(TargetCursors.read(zfs, fs)).as("on %s", fs).containsEntry(jobOfB, s1);
      }
    }
  }

  /**
   * B's run after it came back: every filesystem incremental from B's base (the snapshot on
   * zfs-fuse, B's cursor bookmark where the snapshot was pruned), no full send, B's s1 unchanged
   * (no rollback, no resend), s5 with the sender's guid, the data there.
   */
  private void continuedIncrementally(
      ReplicationJobState back,
      String jobOfB,
      Map<DatasetPath, FilesystemVersion> s1Sent,
      DatasetPath landedBelow,
      Map<DatasetPath, Long> s1) {
    assertThat(back.errors()).as("B's run after it came back").isEmpty();
    for (DatasetPath fs : tree) {
      FilesystemResult.Ok r = FanOutChecks.ok(back, fs);
      String base =
          bookmarks
              ? "#" + EndpointNames.forJob(jobOfB).cursorBookmark(s1Sent.get(fs).guid())
              : "@s1";
      assertThat(r.plan())
          .as("%s on B", fs)
          .startsWith("incremental: " + base + " -> ")
          .doesNotContain("full");
    }
    assertThat(guidsOn(landedBelow, "s1")).as("no full resend: B's s1 is the same").isEqualTo(s1);
    guidsEqual(landedBelow, "s5");
    for (DatasetPath fs : tree) {
      assertThat(
              new String(
                  fx.read(landedBelow.append(fs.components()), "f5"), StandardCharsets.UTF_8))
          .isEqualTo(fs + " round 5");
    }
  }

  private void guidsEqual(DatasetPath landedBelow, String snapshot) {
    Map<DatasetPath, Long> sent = new TreeMap<>();
    for (DatasetPath fs : tree) {
      sent.put(landedBelow.append(fs.components()), version(fs, snapshot).guid());
    }
    assertThat(guidsOn(landedBelow, snapshot)).isEqualTo(sent);
  }

  /** The guid of {@code snapshot} of each filesystem of the tree as received below {@code root}. */
  private Map<DatasetPath, Long> guidsOn(DatasetPath root, String snapshot) {
    Map<DatasetPath, Long> out = new TreeMap<>();
    for (DatasetPath fs : tree) {
      DatasetPath landed = root.append(fs.components());
      out.put(landed, FanOutChecks.guids(zfs, landed).get(snapshot));
    }
    return out;
  }

  // ---- the sending tree, the servers and the jobs ----

  private void sourceTree() {
    src = fx.newRoot();
    tree = new ArrayList<>(List.of(src));
    DatasetPath a = src.child("a");
    for (DatasetPath child : List.of(a, a.child("b"))) {
      zfs.createFilesystem(child, Map.of(), true);
      tree.add(child);
    }
  }

  private void snapshot(int n) {
    for (DatasetPath fs : tree) {
      fx.write(fs, "f" + n, (fs + " round " + n).getBytes(StandardCharsets.UTF_8));
    }
    zfs.snapshot(tree, "s" + n);
  }

  /** The snapshots of the tree's root. */
  private List<String> snapshots() {
    return List.copyOf(FanOutChecks.guids(zfs, src).keySet());
  }

  private List<String> bookmarks(DatasetPath fs) {
    return zfs.listVersions(fs).stream()
        .filter(FilesystemVersion::isBookmark)
        .map(FilesystemVersion::name)
        .toList();
  }

  /** {@code @name} of each filesystem of the tree. */
  private Map<DatasetPath, FilesystemVersion> versions(String name) {
    Map<DatasetPath, FilesystemVersion> out = new TreeMap<>();
    for (DatasetPath fs : tree) {
      out.put(fs, version(fs, name));
    }
    return out;
  }

  private FilesystemVersion version(DatasetPath fs, String name) {
    return zfs.listVersions(fs).stream()
        .filter(v -> v.isSnapshot() && v.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no @" + name + " on " + fs));
  }

  private void ok(ReplicationJobState s) {
    assertThat(s.errors()).isEmpty();
    for (DatasetPath fs : tree) {
      FanOutChecks.ok(s, fs);
    }
  }

  private JobRuntime serve(JobRuntime job) {
    job.start();
    open.push(job::stop);
    return job;
  }

  private ReplicationJob open(Job config) {
    ActiveSides.Active a =
        new ActiveSides(deps).open(config, transports, new ManualScheduler(clock), Runnable::run);
    open.push(a);
    return a.job();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Stops the servers and closes the jobs' connections. */
  @Override
  public void close() throws Exception {
    Exception first = null;
    while (!open.isEmpty()) {
      try {
        open.pop().close();
      } catch (Exception e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
