package org.zrepl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.zrepl.cli.DaemonProcessHarness.Result;
import org.zrepl.zfs.ZfsFusePoolFixture;

/**
 * The real daemon process (the shaded jar) on a zfs-fuse pool: a {@code snap} job driven by {@code
 * zrepl signal snapshot}, {@code zrepl status --mode raw}, a {@code /metrics} scrape, SIGHUP with
 * an invalid and then a changed config, and SIGTERM.
 */
class DaemonIT {

  @RegisterExtension static final ZfsFusePoolFixture POOL = new ZfsFusePoolFixture();

  private static final Duration WAIT = Duration.ofSeconds(60);

  private Path dir;
  private Path config;
  private Path socket;
  private int port;
  private String src;

  @BeforeEach
  void setUp() throws Exception {
    dir =
        Files.createTempDirectory(
            "zrepl-daemon-it",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    config = dir.resolve("zrepl.yml");
    socket = dir.resolve("run").resolve("control");
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    src = POOL.pool() + "/src" + System.nanoTime() % 100000;
    zfs("create", src);
    zfs("create", src + "/a");
    // the pool fixture destroys the pool (and these datasets) after the class
  }

  private static void zfs(String... args) throws Exception {
    List<String> argv = new java.util.ArrayList<>(List.of("zfs"));
    argv.addAll(List.of(args));
    Result r = DaemonProcessHarness.run(argv);
    assertThat(r.code()).as("%s: %s", argv, r.out()).isZero();
  }

  private String config(int keep, boolean withSecondJob) {
    String c =
        "global:\n"
            + "  logging:\n"
            + "    - type: stdout\n"
            + "      level: info\n"
            + "      format: human\n"
            + "  control:\n"
            + "    sockpath: "
            + socket
            + "\n"
            + "  monitoring:\n"
            + "    - type: prometheus\n"
            + "      listen: '127.0.0.1:"
            + port
            + "'\n"
            + "jobs:\n"
            + "  - name: snapjob\n"
            + "    type: snap\n"
            + "    filesystems:\n"
            + "      '"
            + src
            + "<': true\n"
            + "    snapshotting:\n"
            + "      type: periodic\n"
            + "      prefix: zrepl_\n"
            + "      interval: 1h\n"
            + "      timestamp_format: iso-8601\n"
            + "    pruning:\n"
            + "      keep:\n"
            + "        - type: last_n\n"
            + "          count: "
            + keep
            + "\n";
    if (withSecondJob) {
      c +=
          "  - name: manualjob\n"
              + "    type: snap\n"
              + "    filesystems:\n"
              + "      '"
              + src
              + "/a': true\n"
              + "    snapshotting:\n"
              + "      type: manual\n"
              + "    pruning:\n"
              + "      keep:\n"
              + "        - type: regex\n"
              + "          regex: '.*'\n";
    }
    return c;
  }

  private List<String> snapshots(String fs) throws Exception {
    Result r =
        DaemonProcessHarness.run(
            List.of("zfs", "list", "-H", "-o", "name", "-t", "snapshot", "-d", "1", fs));
    assertThat(r.code()).as(r.out()).isZero();
    return r.out().lines().toList();
  }

  /** Polls a real dataset's snapshot count (the daemon replicates on its own threads). */
  private List<String> awaitSnapshots(String fs, int count) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      Result r =
          DaemonProcessHarness.run(
              List.of("zfs", "list", "-H", "-o", "name", "-t", "snapshot", "-d", "1", fs));
      List<String> snaps = r.code() == 0 ? r.out().lines().toList() : List.of();
      if (snaps.size() >= count || System.nanoTime() > deadline) {
        assertThat(snaps).as("snapshots of %s", fs).hasSize(count);
        return snaps;
      }
      Thread.sleep(200);
    }
  }

  private void awaitRound(DaemonProcessHarness d) throws InterruptedException {
    d.await(
        l -> l.contains("[snapjob][snapshot]: snapshot round") && l.contains("2 of 2"),
        WAIT,
        "snapshot round");
    d.await(
        l -> l.contains("prune snapjob (local): " + src + "/a:"), WAIT, "prune of " + src + "/a");
  }

  private JsonNode rawStatus() throws Exception {
    Result r = DaemonProcessHarness.zrepl("status", "--mode", "raw", "--config", config.toString());
    assertThat(r.code()).as(r.out()).isZero();
    return new ObjectMapper().readTree(r.out());
  }

  /**
   * Started with SIGHUP ignored (nohup, as a CI run under nohup did), the JVM never delivers HUP:
   * the daemon says so at start instead of accepting `kill -HUP` and reloading nothing.
   */
  @Test
  void aDaemonStartedWithHupIgnoredSaysThatHupWillNotReload() throws Exception {
    Files.writeString(config, config(2, false));
    try (DaemonProcessHarness d = DaemonProcessHarness.startUnder(List.of("nohup"), config)) {
      d.await(
          l ->
              l.contains(
                  "zrepl: warning: SIGHUP is ignored by this process (its parent ignored it, e.g."
                      + " nohup or a background job), so the JVM will not deliver it: kill -HUP"
                      + " and systemctl reload will not reload the configuration"),
          WAIT,
          "the SIGHUP warning");
      d.signal("TERM");
      assertThat(d.awaitExit(WAIT)).isZero();
    }
  }

  @Test
  void snapJobThroughSignalsStatusMetricsReloadAndStop() throws Exception {
    Files.writeString(config, config(2, false));
    try (DaemonProcessHarness d = DaemonProcessHarness.start(config)) {
      d.await(l -> l.contains("daemon starting"), WAIT, "daemon starting");
      awaitRound(d); // the first round is due at once: no snapshots yet

      for (int i = 0; i < 2; i++) {
        Result sig =
            DaemonProcessHarness.zrepl(
                "signal", "snapshot", "snapjob", "--config", config.toString());
        assertThat(sig.code()).as(sig.out()).isZero();
        assertThat(sig.out()).contains("signal snapshot sent to job snapjob");
        awaitRound(d);
      }
      // three rounds, last_n 2
      assertThat(snapshots(src)).hasSize(2).allMatch(s -> s.startsWith(src + "@zrepl_"));
      assertThat(snapshots(src + "/a")).hasSize(2);

      JsonNode status = rawStatus();
      assertThat(status.path("jobs")).hasSize(1);
      JsonNode job = status.path("jobs").get(0);
      assertThat(job.path("name").asText()).isEqualTo("snapjob");
      assertThat(job.path("type").asText()).isEqualTo("snap");
      assertThat(job.path("nextRunAt").asText()).isNotEmpty();
      assertThat(job.path("datasets").findValuesAsText("filesystem"))
          .containsExactly(src, src + "/a");
      assertThat(job.path("datasets").findValuesAsText("state")).containsOnly("snapshotted");

      Result reset =
          DaemonProcessHarness.zrepl("signal", "reset", "snapjob", "--config", config.toString());
      assertThat(reset.code()).isEqualTo(1);
      assertThat(reset.out()).contains("snap job: it has no replication to reset");
      Result unknown =
          DaemonProcessHarness.zrepl(
              "signal", "wakeup", "nosuchjob", "--config", config.toString());
      assertThat(unknown.code()).isEqualTo(1);
      assertThat(unknown.out()).contains("no job named 'nosuchjob' (jobs: snapjob)");

      HttpResponse<String> metrics =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.body())
          .contains("zrepl_start_time{raw=\"")
          .containsPattern(
              "zrepl_daemon_log_entries\\{level=\"info\",zrepl_job=\"snapjob\"} [1-9][0-9]*");

      // an invalid config is refused and the running job stays
      Files.writeString(config, config(2, false) + "  - name: broken\n    type: bogus\n");
      d.signal("HUP");
      d.await(
          l -> l.contains("reload refused, keeping the running configuration"),
          WAIT,
          "reload refused");
      Files.writeString(config, config(2, false));
      assertThat(rawStatus().path("jobs").findValuesAsText("name")).containsExactly("snapjob");

      // a changed config: snapjob restarts with its new pruning, manualjob starts
      Files.writeString(config, config(1, true));
      d.signal("HUP");
      d.await(
          l ->
              l.contains("configuration reloaded")
                  && l.contains("restarted=[snapjob]")
                  && l.contains("started=[manualjob]"),
          WAIT,
          "configuration reloaded");
      assertThat(rawStatus().path("jobs").findValuesAsText("name"))
          .containsExactly("manualjob", "snapjob");
      Result sig =
          DaemonProcessHarness.zrepl(
              "signal", "snapshot", "snapjob", "--config", config.toString());
      assertThat(sig.code()).as(sig.out()).isZero();
      awaitRound(d);
      assertThat(snapshots(src + "/a")).hasSize(1);

      d.signal("TERM");
      d.await(l -> l.contains("daemon stopped"), WAIT, "daemon stopped");
      assertThat(d.awaitExit(WAIT)).isZero();
      assertThat(socket).doesNotExist();
    }
  }

  @Test
  void localJobReplicatesOnSignalAndShowsItsDatasets() throws Exception {
    String dst = POOL.pool() + "/dst" + System.nanoTime() % 100000;
    Files.writeString(
        config,
        "global:\n"
            + "  logging:\n"
            + "    - type: stdout\n"
            + "      level: info\n"
            + "      format: human\n"
            + "  control:\n"
            + "    sockpath: "
            + socket
            + "\n"
            + "jobs:\n"
            + "  - name: mirror\n"
            + "    type: local\n"
            + "    mapping:\n"
            + "      '"
            + src
            + "<': '"
            + dst
            + "'\n"
            + "    recv: {placeholder: {encryption: inherit}}\n"
            + "    snapshotting:\n"
            + "      type: periodic\n"
            + "      prefix: zrepl_\n"
            + "      interval: 24h\n"
            + "    pruning:\n"
            + "      keep_sender:\n"
            + "        - type: last_n\n"
            + "          count: 5\n"
            + "      keep_receiver:\n"
            + "        - type: last_n\n"
            + "          count: 5\n");
    try (DaemonProcessHarness d = DaemonProcessHarness.start(config)) {
      d.await(l -> l.contains("daemon starting"), WAIT, "daemon starting");
      // the first snapshot is due at start (there is none yet); its replication follows it
      awaitSnapshots(dst + "/a", 1);
      for (int round = 2; round <= 3; round++) {
        // Snapshot names have one-second resolution (zrepl's dense format): a round within the
        // same second as the one before waits for the next second instead of failing.
        Result sig =
            DaemonProcessHarness.zrepl(
                "signal", "snapshot", "mirror", "--config", config.toString());
        assertThat(sig.code()).as(sig.out()).isZero();
        // the snapshot signal runs a whole invocation: snapshot, replicate, prune
        assertThat(snapshots(dst + "/a")).hasSize(round);
        assertThat(snapshots(dst + "/a").get(round - 1).replace(dst, src))
            .isEqualTo(snapshots(src + "/a").get(round - 1));
      }

      JsonNode job = rawStatus().path("jobs").get(0);
      assertThat(job.path("name").asText()).isEqualTo("mirror");
      assertThat(job.path("type").asText()).isEqualTo("local");
      assertThat(job.path("errors")).isEmpty();
      assertThat(job.path("datasets").findValuesAsText("filesystem"))
          .containsExactly(src, src + "/a");

      d.signal("TERM");
      assertThat(d.awaitExit(WAIT)).isZero();
    }
  }

  @Test
  void refusesToStartWhenTheSocketDirectoryIsNotPrivate() throws Exception {
    Files.createDirectories(socket.getParent());
    Files.setPosixFilePermissions(socket.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.writeString(config, config(2, false));
    try (DaemonProcessHarness d = DaemonProcessHarness.start(config)) {
      assertThat(d.awaitExit(WAIT)).isEqualTo(1);
      assertThat(d.output())
          .contains("zrepl: error: cannot start daemon: socket directory " + socket.getParent())
          .contains("must be accessible by its owner only, has permissions rwxr-xr-x");
    }
  }
}
