package org.zrepl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.zrepl.cli.DaemonProcessHarness.Result;
import org.zrepl.zfs.ZfsFusePoolFixture;

/**
 * The real daemon process replicating a larger filesystem (8 MiB of random data behind a 1 MiB/s
 * bandwidth limit, so a step runs for seconds) on zfs-fuse: {@code zrepl signal reset} aborts it.
 */
class DaemonReplicationIT {

  @RegisterExtension static final ZfsFusePoolFixture POOL = new ZfsFusePoolFixture();

  static final Duration WAIT = Duration.ofSeconds(90);
  static final int MIB = 1024 * 1024;

  private Path dir;
  private Path config;
  private String src;
  private String dst;
  private int port;

  @BeforeEach
  void setUp() throws Exception {
    dir =
        Files.createTempDirectory(
            "zrepl-daemon-repl-it",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    config = dir.resolve("zrepl.yml");
    try (java.net.ServerSocket sock = new java.net.ServerSocket(0)) {
      port = sock.getLocalPort();
    }
    long n = System.nanoTime() % 100000;
    src = POOL.pool() + "/src" + n;
    dst = POOL.pool() + "/dst" + n;
    zfs("create", src);
    zfs("create", src + "/a");
    Path mnt = Path.of(zfsOut("get", "-H", "-o", "value", "mountpoint", src + "/a").strip());
    byte[] data = new byte[8 * MIB];
    new Random(n).nextBytes(data);
    Files.write(mnt.resolve("data"), data);
    Files.writeString(config, config());
  }

  private String config() {
    return "global:\n"
        + "  logging:\n"
        + "    - type: stdout\n"
        + "      level: info\n"
        + "      format: human\n"
        + "  control:\n"
        + "    sockpath: "
        + dir.resolve("run").resolve("control")
        + "\n"
        + "  monitoring:\n"
        + "    - type: prometheus\n"
        + "      listen: '127.0.0.1:"
        + port
        + "'\n"
        + "jobs:\n"
        + "  - name: mirror\n"
        + "    type: local\n"
        + "    mapping:\n"
        + "      '"
        + src
        + "/a': '"
        + dst
        + "/a'\n"
        + "    recv: {placeholder: {encryption: inherit}}\n"
        + "    snapshotting:\n"
        + "      type: periodic\n"
        + "      prefix: zrepl_\n"
        + "      interval: 24h\n"
        + "    send:\n"
        + "      bandwidth_limit:\n"
        + "        max: 1 MiB\n"
        + "    pruning:\n"
        + "      keep_sender:\n"
        + "        - type: last_n\n"
        + "          count: 5\n"
        + "      keep_receiver:\n"
        + "        - type: last_n\n"
        + "          count: 5\n";
  }

  static void zfs(String... args) throws Exception {
    zfsOut(args);
  }

  static String zfsOut(String... args) throws Exception {
    List<String> argv = new ArrayList<>(List.of("zfs"));
    argv.addAll(List.of(args));
    Result r = DaemonProcessHarness.run(argv);
    assertThat(r.code()).as("%s: %s", argv, r.out()).isZero();
    return r.out();
  }

  Result zrepl(String... args) throws Exception {
    List<String> argv = new ArrayList<>(List.of(args));
    argv.addAll(List.of("--config", config.toString()));
    return DaemonProcessHarness.zrepl(argv.toArray(String[]::new));
  }

  /** The job's status of filesystem {@code src/a}, or null before it shows up. */
  JsonNode datasetA() throws Exception {
    Result r = zrepl("status", "--mode", "raw");
    assertThat(r.code()).as(r.out()).isZero();
    for (JsonNode d : new ObjectMapper().readTree(r.out()).path("jobs").get(0).path("datasets")) {
      if (d.path("filesystem").asText().equals(src + "/a")) {
        return d;
      }
    }
    return null;
  }

  /** Polls the status until {@code p} holds for {@code src/a}; its last status. */
  JsonNode awaitA(Predicate<JsonNode> p, String what) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    JsonNode d = null;
    while (System.nanoTime() < deadline) {
      d = datasetA();
      if (d != null && p.test(d)) {
        return d;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("status of " + src + "/a never showed " + what + "; last: " + d);
  }

  /**
   * {@code zfs send} processes of this test's source, by their command lines (zfs-fuse's {@code
   * zfs} shows {@code fs@snap} as {@code fs snap} there).
   */
  List<String> sendsOfSource() throws Exception {
    Result r = DaemonProcessHarness.run(List.of("ps", "-eo", "args"));
    return r.out()
        .lines()
        .filter(l -> l.startsWith("zfs send") && l.contains(src + "/a "))
        .toList();
  }

  String scrape() throws Exception {
    java.net.http.HttpResponse<String> r =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + port + "/metrics"))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }

  List<String> snapshots(String fs) throws Exception {
    Result r =
        DaemonProcessHarness.run(
            List.of("zfs", "list", "-H", "-o", "name", "-t", "snapshot", "-d", "1", fs));
    return r.code() == 0 ? r.out().lines().toList() : List.of();
  }

  @Test
  void resetAbortsTheRunningSendAndTheNextWakeupReplicatesAgain() throws Exception {
    try (DaemonProcessHarness d = DaemonProcessHarness.start(config)) {
      d.await(l -> l.contains("daemon starting"), WAIT, "daemon starting");
      // the first snapshot is due at start; its replication follows and streams for ~8 s
      awaitA(
          s -> s.path("state").asText().equals("stepping") && s.path("bytes").asLong() > 0,
          "a step streaming");
      assertThat(sendsOfSource()).as("zfs send runs").hasSize(1);

      Result reset = zrepl("signal", "reset", "mirror");

      assertThat(reset.code()).as(reset.out()).isZero();
      JsonNode aborted =
          awaitA(s -> s.path("state").asText().equals("failed"), "the step aborted by reset");
      assertThat(aborted.path("lastError").asText())
          .contains("aborted: reset by the operator (zrepl signal reset)");
      assertThat(aborted.path("bytes").asLong()).isLessThan(8L * MIB);
      d.await(l -> l.contains("invocation aborted, pruning skipped"), WAIT, "the job's error");
      assertThat(sendsOfSource()).as("zfs send was stopped").isEmpty();
      // zfs-fuse has no resumable receive: the partial receive is gone, nothing was received
      assertThat(snapshots(dst + "/a")).isEmpty();
      Result again = zrepl("signal", "reset", "mirror");
      assertThat(again.code()).isEqualTo(1);
      assertThat(again.out()).contains("job 'mirror' has no replication run in progress to reset");

      Result wakeup = zrepl("signal", "wakeup", "mirror");
      assertThat(wakeup.code()).as(wakeup.out()).isZero();
      awaitA(s -> s.path("state").asText().equals("done"), "the replication done");
      assertThat(snapshots(dst + "/a")).hasSize(1);
      // the filesystem is done before the job records its run (after pruning): wait for that
      String metrics = scrape();
      long until = System.nanoTime() + WAIT.toNanos();
      while (!metrics.contains("zrepl_replication_last_successful{zrepl_job=\"mirror\"}")
          && System.nanoTime() < until) {
        java.util.concurrent.locks.LockSupport.parkNanos(100_000_000L);
        metrics = scrape();
      }
      assertThat(metrics)
          .containsPattern(
              "zrepl_replication_last_successful\\{zrepl_job=\"mirror\"} 1\\.[0-9]+E9\n")
          .containsPattern(
              "zrepl_replication_newest_snapshot_age_seconds\\{filesystem=\""
                  + src
                  + "/a\",zrepl_job=\"mirror\"} [0-9]+\\.0\n")
          .contains("zrepl_replication_state_time_count{state=\"done\",zrepl_job=\"mirror\"} 1")
          .contains(
              "zrepl_replication_state_time_count{state=\"filesystem-error\",zrepl_job=\"mirror\"} 1")
          .contains("zrepl_pruning_time_count{prune_side=\"sender\",zrepl_job=\"mirror\"} 1")
          .containsPattern(
              "zrepl_replication_bytes_replicated\\{filesystem=\""
                  + src
                  + "/a\",zrepl_job=\"mirror\"} ([0-9]{7,}\\.0|[0-9.]+E[0-9]+)\n");

      d.signal("TERM");
      assertThat(d.awaitExit(WAIT)).isZero();
    }
  }

  /** Runs {@code tmux args}; its output. */
  static String tmux(String... args) throws Exception {
    List<String> argv = new ArrayList<>(List.of("tmux"));
    argv.addAll(List.of(args));
    Result r = DaemonProcessHarness.run(argv);
    assertThat(r.code())
        .as("%s: %s (tmux comes from scripts/setup-zfs-fuse)", argv, r.out())
        .isZero();
    return r.out();
  }

  @Test
  void liveStatusInATerminalDrawsAProgressBarDuringTheReplication() throws Exception {
    String session = "zrepl-it-" + ProcessHandle.current().pid() + "-" + System.nanoTime() % 100000;
    try (DaemonProcessHarness d = DaemonProcessHarness.start(config)) {
      d.await(l -> l.contains("daemon starting"), WAIT, "daemon starting");
      awaitA(
          s -> s.path("state").asText().equals("stepping") && s.path("bytes").asLong() > 0,
          "a step streaming");
      tmux(
          "new-session",
          "-d",
          "-s",
          session,
          "-x",
          "160",
          "-y",
          "30",
          "java -jar " + DaemonProcessHarness.JAR + " status --config " + config);
      try {
        java.util.regex.Pattern bar =
            java.util.regex.Pattern.compile(
                // the detail pane: the filesystem marked active, below it its state and progress
                java.util.regex.Pattern.quote("| * " + src + "/a")
                    + " *\\n[^\\n]*\\|   stepping +\\[=*> *\\] [0-9.]+ (B|KiB|MiB) / [0-9.]+ MiB"
                    + " +[0-9.]+ (B|KiB|MiB)/s +ETA [0-9]+:[0-9]{2}");
        long deadline = System.nanoTime() + WAIT.toNanos();
        String screen = "";
        while (System.nanoTime() < deadline && !bar.matcher(screen).find()) {
          Thread.sleep(300);
          screen = tmux("capture-pane", "-p", "-t", session);
        }
        assertThat(screen).as("the terminal").containsPattern(bar);
        assertThat(screen.split("daemon zrepl-jvm", -1))
            .as("redrawn in place: one header on the screen")
            .hasSize(2);
      } finally {
        tmux("kill-session", "-t", session);
      }
      d.signal("TERM");
      assertThat(d.awaitExit(WAIT)).isZero();
    }
  }

  @Test
  void sigtermDuringTheReplicationStopsCleanlyAndTheNextStartFinishesIt() throws Exception {
    try (DaemonProcessHarness d = DaemonProcessHarness.start(config)) {
      d.await(l -> l.contains("daemon starting"), WAIT, "daemon starting");
      awaitA(
          s -> s.path("state").asText().equals("stepping") && s.path("bytes").asLong() > 0,
          "a step streaming");

      d.signal("TERM");

      long before = System.nanoTime();
      assertThat(d.awaitExit(WAIT)).as(d.output()).isZero();
      assertThat(Duration.ofNanos(System.nanoTime() - before))
          .as("stopped without waiting for the 8 s stream")
          .isLessThan(Duration.ofSeconds(6));
      assertThat(d.output())
          .contains("aborted: the job is stopping (daemon stop or reload)")
          .contains("daemon stopped");
    }
    assertThat(sendsOfSource()).as("no zfs send left behind").isEmpty();
    // zfs-fuse has no resumable receive (and no hold listing): the partial receive is discarded
    assertThat(snapshots(dst + "/a")).isEmpty();

    try (DaemonProcessHarness d = DaemonProcessHarness.start(config)) {
      d.await(l -> l.contains("daemon starting"), WAIT, "daemon starting");
      // the snapshot is not due again for 24 h: replication runs on the next trigger
      Result wakeup = zrepl("signal", "wakeup", "mirror");
      assertThat(wakeup.code()).as(wakeup.out()).isZero();
      awaitA(s -> s.path("state").asText().equals("done"), "the replication done");
      assertThat(snapshots(dst + "/a")).hasSize(1);
      assertThat(snapshots(src + "/a")).hasSize(1);
      d.signal("TERM");
      assertThat(d.awaitExit(WAIT)).isZero();
    }
  }
}
