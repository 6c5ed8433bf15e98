package org.zrepl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.zrepl.cli.DaemonProcessHarness.Result;
import org.zrepl.zfs.ZfsFusePoolFixture;

/**
 * {@code ssh+stdinserver} end to end: a push job ({@code zrepl run --once}, its own JVM) runs
 * {@code ssh} to a real sshd started here, whose {@code authorized_keys} forces {@code bin/zrepl
 * stdinserver laptop}; that hands the session to a running sink daemon, which receives into a
 * zfs-fuse pool. Full, then incremental; then a key whose forced command names an identity the sink
 * does not serve, and a sink whose socket directory others can read.
 */
class SshStdinserverIT {

  @RegisterExtension static final ZfsFusePoolFixture POOL = new ZfsFusePoolFixture();

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

  private static Path dir;
  private static Path sinkConfig;
  private static Path sockdir;
  private static TestSshd sshd;
  private static DaemonProcessHarness sink;

  @BeforeAll
  static void start() throws Exception {
    String why = TestSshd.whyUnavailable();
    if (why != null && "true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new IllegalStateException("CI=true but the ssh+stdinserver test cannot run: " + why);
    }
    Assumptions.assumeTrue(why == null, why);
    dir =
        Files.createTempDirectory(
            "zrepl-ssh-it",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    sockdir = dir.resolve("stdinserver");
    sinkConfig = dir.resolve("sink.yml");
    zfs("create", POOL.pool() + "/sink");
    zfs("create", POOL.pool() + "/served");
    zfs("create", POOL.pool() + "/pulled");
    Files.writeString(sinkConfig, sinkConfig(sockdir, dir.resolve("sink-control")));
    String laptop = TestSshd.keygen(dir.resolve("laptop_key"));
    String desktop = TestSshd.keygen(dir.resolve("desktop_key"));
    String backup = TestSshd.keygen(dir.resolve("backup_key"));
    sshd =
        TestSshd.start(
            dir,
            List.of(
                authorizedKey("laptop", laptop),
                authorizedKey("desktop", desktop),
                authorizedKey("backup", backup)));
    sink = DaemonProcessHarness.start(sinkConfig);
    sink.await(l -> l.contains("[sink][daemon]: job started"), WAIT, "the sink job started");
    sink.await(l -> l.contains("[source][daemon]: job started"), WAIT, "the source job started");
  }

  /** The documented line: the key may only run {@code zrepl stdinserver ID}. */
  private static String authorizedKey(String identity, String publicKey) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return "command=\"JAVA="
        + java
        + " "
        + REPO.resolve("bin/zrepl")
        + " --config "
        + sinkConfig
        + " stdinserver "
        + identity
        + "\",restrict "
        + publicKey;
  }

  private static String sinkConfig(Path sockdir, Path control) {
    return String.join(
        "\n",
        "global:",
        "  logging:",
        "    - {type: stdout, level: info, format: human}",
        "  control: {sockpath: " + control + "}",
        "  serve:",
        "    stdinserver: {sockdir: " + sockdir + "}",
        "jobs:",
        "  - name: sink",
        "    type: sink",
        "    serve: {type: stdinserver, client_identities: [laptop]}",
        "    root_fs: " + POOL.pool() + "/sink",
        "    recv: {placeholder: {encryption: inherit}}",
        "  - name: source",
        "    type: source",
        "    serve: {type: stdinserver, client_identities: [backup]}",
        "    filesystems: {'" + POOL.pool() + "/served<': true}",
        "    snapshotting: {type: manual}",
        "");
  }

  @AfterAll
  static void stop() throws Exception {
    if (sink != null) {
      sink.close();
    }
    if (sshd != null) {
      sshd.close();
    }
  }

  private static void zfs(String... args) throws Exception {
    List<String> argv = new ArrayList<>(List.of("zfs"));
    argv.addAll(List.of(args));
    Result r = DaemonProcessHarness.run(argv);
    assertThat(r.code()).as("%s: %s", argv, r.out()).isZero();
  }

  private static List<String> snapshots(String fs) throws Exception {
    Result r =
        DaemonProcessHarness.run(
            List.of("zfs", "list", "-H", "-o", "name", "-t", "snapshot", "-d", "1", fs));
    return r.code() == 0
        ? r.out().lines().map(l -> l.substring(l.indexOf('@') + 1)).toList()
        : List.of();
  }

  private Path pushConfig(String src, String key) throws Exception {
    return activeConfig(
        "push-" + key + "-" + src.replace('/', '_'),
        key,
        List.of(
            "    type: push",
            "    filesystems: {'" + src + "<': true}",
            "    snapshotting: {type: manual}"));
  }

  /** A config with one active job {@code pusher} (or {@code puller}) connecting over ssh. */
  private Path activeConfig(String name, String key, List<String> jobLines) throws Exception {
    Path c = dir.resolve(name + ".yml");
    List<String> lines = new ArrayList<>();
    lines.addAll(
        List.of(
            "global:",
            "  logging:",
            "    - {type: stdout, level: info, format: human}",
            "  control: {sockpath: " + dir.resolve(name + "-control") + "}",
            "jobs:",
            "  - name: " + (jobLines.get(0).contains("pull") ? "puller" : "pusher")));
    lines.addAll(jobLines);
    lines.addAll(
        List.of(
            "    connect:",
            "      type: ssh+stdinserver",
            "      host: 127.0.0.1",
            "      user: " + System.getProperty("user.name"),
            "      port: " + sshd.port(),
            "      identity_file: " + dir.resolve(key),
            "      options:",
            "        - StrictHostKeyChecking=yes",
            "        - UserKnownHostsFile=" + sshd.knownHosts(),
            "        - IdentitiesOnly=yes",
            "      dial_timeout: 30s",
            "    pruning:",
            "      keep_sender: [{type: not_replicated}, {type: last_n, count: 5}]",
            "      keep_receiver: [{type: last_n, count: 5}]",
            ""));
    Files.write(c, lines);
    return c;
  }

  /** Polls the daemon's output until it contains every one of {@code parts}. */
  private static void awaitOutput(DaemonProcessHarness d, String... parts) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!List.of(parts).stream().allMatch(d.output()::contains)
        && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(d.output()).contains(parts);
  }

  private String failureContext(Result r) {
    return r.out() + "\n--- sshd:\n" + sshd.log() + "\n--- sink daemon:\n" + sink.output();
  }

  @Test
  void pushReplicatesFullThenIncrementalThroughSshdAndTheSinkDaemon() throws Exception {
    String src = POOL.pool() + "/src" + System.nanoTime() % 100000;
    zfs("create", src);
    zfs("create", src + "/a");
    zfs("snapshot", "-r", src + "@s1");
    Path push = pushConfig(src, "laptop_key");

    Result first =
        DaemonProcessHarness.zrepl("run", "--once", "pusher", "--config", push.toString());
    assertThat(first.code()).as(() -> failureContext(first)).isZero();
    String received = POOL.pool() + "/sink/laptop/" + src;
    assertThat(snapshots(received + "/a")).as(() -> failureContext(first)).containsExactly("s1");

    zfs("snapshot", "-r", src + "@s2");
    Result second =
        DaemonProcessHarness.zrepl("run", "--once", "pusher", "--config", push.toString());
    assertThat(second.code()).as(() -> failureContext(second)).isZero();
    assertThat(snapshots(received + "/a")).containsExactly("s1", "s2");
    assertThat(snapshots(received)).containsExactly("s1", "s2");

    // Each connection went through sshd's forced command and the hand-over.
    awaitOutput(
        sink,
        "[sink][daemon]: stdinserver laptop #",
        ": received the client's stdin and stdout",
        ": session ended by the client; verdict 0");
    assertThat(sink.output()).doesNotContain("verdict 1");
    assertThat(sshd.log()).contains("Accepted publickey for " + System.getProperty("user.name"));
  }

  /** The same, with the push job in a running daemon, woken by {@code zrepl signal wakeup}. */
  @Test
  void aPushJobInTheDaemonReplicatesOverSshOnWakeup() throws Exception {
    String src = POOL.pool() + "/daemon" + System.nanoTime() % 100000;
    zfs("create", src);
    zfs("snapshot", src + "@d1");
    Path push = pushConfig(src, "laptop_key");
    String received = POOL.pool() + "/sink/laptop/" + src;
    try (DaemonProcessHarness pusher = DaemonProcessHarness.start(push)) {
      pusher.await(l -> l.contains("job started"), WAIT, "the push job started");
      wakeup(push);
      awaitSnapshots(received, List.of("d1"), pusher);
      zfs("snapshot", src + "@d2");
      wakeup(push);
      awaitSnapshots(received, List.of("d1", "d2"), pusher);
    }
  }

  private static void wakeup(Path config) throws Exception {
    Result r =
        DaemonProcessHarness.zrepl("signal", "wakeup", "pusher", "--config", config.toString());
    assertThat(r.code()).as(r.out()).isZero();
  }

  /** Polls the sink's snapshots (the daemon replicates on its own threads). */
  private void awaitSnapshots(String fs, List<String> expected, DaemonProcessHarness pusher)
      throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!snapshots(fs).equals(expected) && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    assertThat(snapshots(fs))
        .as(() -> "push daemon:\n" + pusher.output() + "\n--- sink daemon:\n" + sink.output())
        .isEqualTo(expected);
  }

  @Test
  void pullReplicatesWhatTheSourceDaemonServesOverSsh() throws Exception {
    String served = POOL.pool() + "/served/x" + System.nanoTime() % 100000;
    zfs("create", served);
    zfs("snapshot", "-r", POOL.pool() + "/served@p1");
    Path pull =
        activeConfig(
            "pull",
            "backup_key",
            List.of(
                "    type: pull",
                "    root_fs: " + POOL.pool() + "/pulled",
                "    recv: {placeholder: {encryption: inherit}}",
                "    interval: manual"));
    String received = POOL.pool() + "/pulled/" + served;

    Result first =
        DaemonProcessHarness.zrepl("run", "--once", "puller", "--config", pull.toString());
    assertThat(first.code()).as(() -> failureContext(first)).isZero();
    assertThat(snapshots(received)).containsExactly("p1");
    zfs("snapshot", "-r", POOL.pool() + "/served@p2");
    Result second =
        DaemonProcessHarness.zrepl("run", "--once", "puller", "--config", pull.toString());
    assertThat(second.code()).as(() -> failureContext(second)).isZero();
    assertThat(snapshots(received)).containsExactly("p1", "p2");
  }

  @Test
  void aKeyForAnIdentityTheSinkDoesNotServeFailsWithTheStdinserversWords() throws Exception {
    String src = POOL.pool() + "/other" + System.nanoTime() % 100000;
    zfs("create", src);
    zfs("snapshot", src + "@s1");
    Path push = pushConfig(src, "desktop_key");

    Result r = DaemonProcessHarness.zrepl("run", "--once", "pusher", "--config", push.toString());
    assertThat(r.code()).as(() -> failureContext(r)).isNotZero();
    assertThat(r.out())
        .as(() -> failureContext(r))
        .contains("no daemon serves client identity 'desktop'")
        .contains("ssh exited with status 1");
    assertThat(snapshots(POOL.pool() + "/sink/desktop/" + src)).isEmpty();
  }

  @Test
  void aSinkWhoseSocketDirectoryOthersCanEnterRefusesToStart() throws Exception {
    Path open = dir.resolve("open-sockdir");
    Files.createDirectory(open);
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path config = dir.resolve("open.yml");
    Files.writeString(config, sinkConfig(open, dir.resolve("open-control")));
    try (DaemonProcessHarness d = DaemonProcessHarness.start(config)) {
      assertThat(d.awaitExit(WAIT)).isEqualTo(1);
      assertThat(d.output())
          .contains("cannot start daemon")
          .contains("global.serve.stdinserver.sockdir")
          .contains(open.toString())
          .contains("rwxr-xr-x");
    }
    assertThat(open.resolve("laptop")).doesNotExist();
  }
}
