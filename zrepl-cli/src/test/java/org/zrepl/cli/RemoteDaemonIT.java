package org.zrepl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.zrepl.cli.DaemonProcessHarness.Result;
import org.zrepl.cli.DaemonWires.DaemonWire;
import org.zrepl.cli.DaemonWires.Snippets;
import org.zrepl.zfs.ZfsFusePoolFixture;

/**
 * Two real daemon processes (the shaded jar) on a zfs-fuse pool, replicating a small tree (a parent
 * and a child dataset) between them over each transport of {@link DaemonWires}: push to a sink and
 * pull from a source, a full and then an incremental step, woken by {@code zrepl signal wakeup};
 * the received snapshots are checked by guid.
 */
class RemoteDaemonIT {

  @RegisterExtension static final ZfsFusePoolFixture POOL = new ZfsFusePoolFixture();

  private static final Duration WAIT = Duration.ofSeconds(90);

  private Path dir;
  private String src;
  private String n;

  static Stream<DaemonWire> wires() {
    return DaemonWires.all();
  }

  @BeforeEach
  void setUp() throws Exception {
    dir =
        Files.createTempDirectory(
            "zrepl-remote-daemon-it",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    n = Long.toString(System.nanoTime() % 1_000_000);
    src = POOL.pool() + "/src" + n;
    zfs("create", src);
    zfs("create", src + "/child");
    write(src, "a", 100_000);
    write(src + "/child", "b", 200_000);
    zfs("snapshot", "-r", src + "@s1");
    // the pool fixture destroys the pool (and these datasets) after the class
  }

  @ParameterizedTest(name = "push to sink over {0}")
  @MethodSource("wires")
  void pushReplicatesATreeToASinkFullThenIncremental(DaemonWire wire) throws Exception {
    Snippets w = wire.prepare(dir);
    String sinkRoot = POOL.pool() + "/sink" + n;
    zfs("create", sinkRoot);
    Path sinkConfig =
        config(
            "sink",
            "  - name: sink\n"
                + "    type: sink\n"
                + "    serve: "
                + w.serve()
                + "\n"
                + "    root_fs: "
                + sinkRoot
                + "\n"
                + "    recv: {placeholder: {encryption: inherit}}\n");
    Path pushConfig =
        config(
            "push",
            "  - name: pusher\n"
                + "    type: push\n"
                + "    connect: "
                + w.connect()
                + "\n"
                + "    filesystems: {'"
                + src
                + "<': true}\n"
                + "    snapshotting: {type: manual}\n"
                + keepAll());
    String received = sinkRoot + "/" + DaemonWires.IDENTITY + "/" + src;
    try (DaemonProcessHarness sink = DaemonProcessHarness.start(sinkConfig)) {
      sink.await(l -> l.contains("serving on"), WAIT, "sink serving");
      try (DaemonProcessHarness push = DaemonProcessHarness.start(pushConfig)) {
        replicateTwice(push, pushConfig, "pusher", received, sink);
      }
    }
  }

  @ParameterizedTest(name = "pull from source over {0}")
  @MethodSource("wires")
  void pullReplicatesATreeFromASourceFullThenIncremental(DaemonWire wire) throws Exception {
    Snippets w = wire.prepare(dir);
    String pullRoot = POOL.pool() + "/pull" + n;
    zfs("create", pullRoot);
    Path sourceConfig =
        config(
            "source",
            "  - name: source\n"
                + "    type: source\n"
                + "    serve: "
                + w.serve()
                + "\n"
                + "    filesystems: {'"
                + src
                + "<': true}\n"
                + "    snapshotting: {type: manual}\n");
    Path pullConfig =
        config(
            "pull",
            "  - name: puller\n"
                + "    type: pull\n"
                + "    connect: "
                + w.connect()
                + "\n"
                + "    root_fs: "
                + pullRoot
                + "\n"
                + "    recv: {placeholder: {encryption: inherit}}\n"
                + "    interval: manual\n"
                + keepAll());
    try (DaemonProcessHarness source = DaemonProcessHarness.start(sourceConfig)) {
      source.await(l -> l.contains("serving on"), WAIT, "source serving");
      try (DaemonProcessHarness pull = DaemonProcessHarness.start(pullConfig)) {
        replicateTwice(pull, pullConfig, "puller", pullRoot + "/" + src, source);
      }
    }
  }

  /** Wakes the active job for a full step, snapshots and writes, wakes it for an incremental. */
  private void replicateTwice(
      DaemonProcessHarness active,
      Path config,
      String job,
      String received,
      DaemonProcessHarness passive)
      throws Exception {
    active.await(l -> l.contains("job started"), WAIT, job + " started");
    wakeup(config, job);
    awaitSameSnapshots(received, 1, active, passive);

    write(src + "/child", "c", 300_000);
    zfs("snapshot", "-r", src + "@s2");
    wakeup(config, job);
    awaitSameSnapshots(received, 2, active, passive);
    assertThat(snapshotGuids(received + "/child").keySet()).containsExactly("@s1", "@s2");

    active.signal("TERM");
    assertThat(active.awaitExit(WAIT)).as(active.output()).isZero();
  }

  private static void wakeup(Path config, String job) throws Exception {
    Result r = DaemonProcessHarness.zrepl("signal", "wakeup", job, "--config", config.toString());
    assertThat(r.code()).as(r.out()).isZero();
  }

  /**
   * Polls until the received parent and child have {@code count} snapshots each (the daemons
   * replicate on their own threads), then checks they are the source's, by guid.
   */
  private void awaitSameSnapshots(
      String received, int count, DaemonProcessHarness a, DaemonProcessHarness b) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    for (String suffix : List.of("", "/child")) {
      Map<String, String> got;
      while (true) {
        got = snapshotGuids(received + suffix);
        if (got.size() >= count || System.nanoTime() > deadline) {
          break;
        }
        Thread.sleep(200);
      }
      assertThat(got)
          .as(
              "snapshots of %s; active daemon:%n%s%npassive daemon:%n%s",
              received + suffix, a.output(), b.output())
          .isEqualTo(snapshotGuids(src + suffix))
          .hasSize(count);
    }
  }

  /** {@code @name -> guid} of the snapshots of {@code fs}; empty if it does not exist (yet). */
  private static Map<String, String> snapshotGuids(String fs) throws Exception {
    Result r =
        DaemonProcessHarness.run(
            List.of("zfs", "list", "-H", "-o", "name,guid", "-t", "snapshot", "-d", "1", fs));
    Map<String, String> out = new LinkedHashMap<>();
    if (r.code() != 0) {
      return out;
    }
    for (String line : r.out().lines().toList()) {
      String[] f = line.split("\t", 0);
      out.put(f[0].substring(f[0].indexOf('@')), f[1]);
    }
    return out;
  }

  private static String keepAll() {
    return """
            pruning:
              keep_sender: [{type: regex, regex: '.*'}]
              keep_receiver: [{type: regex, regex: '.*'}]
        """;
  }

  /** A daemon config of its own (control socket in a private directory) with {@code jobs}. */
  private Path config(String name, String jobs) throws Exception {
    Path d = dir.resolve(name);
    Files.createDirectories(d);
    Path c = d.resolve("zrepl.yml");
    Files.writeString(
        c,
        "global:\n"
            + "  logging:\n"
            + "    - type: stdout\n"
            + "      level: info\n"
            + "      format: human\n"
            + "  control:\n"
            + "    sockpath: "
            + d.resolve("run").resolve("control")
            + "\n"
            + "jobs:\n"
            + jobs);
    return c;
  }

  private static void write(String fs, String file, int bytes) throws Exception {
    Result mp =
        DaemonProcessHarness.run(List.of("zfs", "get", "-H", "-o", "value", "mountpoint", fs));
    assertThat(mp.code()).as(mp.out()).isZero();
    byte[] data = new byte[bytes];
    new java.util.Random(bytes).nextBytes(data);
    Files.write(Path.of(mp.out().strip()).resolve(file), data);
  }

  private static void zfs(String... args) throws Exception {
    List<String> argv = new ArrayList<>(List.of("zfs"));
    argv.addAll(List.of(args));
    Result r = DaemonProcessHarness.run(argv);
    assertThat(r.code()).as("%s: %s", argv, r.out()).isZero();
  }
}
