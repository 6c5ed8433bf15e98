package org.zrepl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.zrepl.cli.DaemonProcessHarness.Result;
import org.zrepl.zfs.ZfsFusePoolFixture;

/**
 * The real daemon on a zfs-fuse pool with a {@code source} that snapshots and prunes on its own and
 * a {@code pull} job pulling from it over loopback tcp: the source keeps everything until the
 * puller completed a step (no bookmarks here), then keeps the snapshot it last sent; the puller's
 * next incremental works from it.
 */
class SourcePruningDaemonIT {

  @RegisterExtension static final ZfsFusePoolFixture POOL = new ZfsFusePoolFixture();

  private static final Duration WAIT = Duration.ofSeconds(60);

  private Path config;
  private String src;
  private String dst;

  @BeforeEach
  void setUp() throws Exception {
    Path dir =
        Files.createTempDirectory(
            "zrepl-source-it",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    config = dir.resolve("zrepl.yml");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    long n = System.nanoTime() % 100000;
    src = POOL.pool() + "/srcsp" + n;
    dst = POOL.pool() + "/dstsp" + n;
    zfs("create", src);
    zfs("create", src + "/a");
    zfs("create", dst);
    Files.writeString(
        config,
        """
        global:
          logging:
          - { type: stdout, level: info, format: human }
          control:
            sockpath: SOCK
        jobs:
        - name: laptop
          type: source
          serve: { type: tcp, listen: "127.0.0.1:PORT", clients: { "127.0.0.1": "backups" } }
          filesystems: { "SRC/a": true }
          snapshotting: { type: periodic, prefix: zrepl_, interval: 24h }
          pruning:
            keep:
            - { type: last_n, count: 1 }
        - name: puller
          type: pull
          connect: { type: tcp, address: "127.0.0.1:PORT" }
          root_fs: DST
          recv: { placeholder: { encryption: inherit } }
          interval: manual
          pruning:
            keep_sender:
            - { type: regex, regex: ".*" }
            keep_receiver:
            - { type: last_n, count: 1 }
        """
            .replace("SOCK", dir.resolve("run").resolve("control").toString())
            .replace("PORT", Integer.toString(port))
            .replace("SRC", src)
            .replace("DST", dst));
  }

  private static void zfs(String... args) throws Exception {
    List<String> argv = new ArrayList<>(List.of("zfs"));
    argv.addAll(List.of(args));
    Result r = DaemonProcessHarness.run(argv);
    assertThat(r.code()).as("%s: %s", argv, r.out()).isZero();
  }

  /** Short snapshot names of {@code fs}, oldest first. */
  private static List<String> snapshots(String fs) throws Exception {
    Result r =
        DaemonProcessHarness.run(
            List.of("zfs", "list", "-H", "-o", "name", "-t", "snapshot", "-d", "1", fs));
    if (r.code() != 0) {
      return List.of();
    }
    return r.out().lines().map(l -> l.substring(l.indexOf('@') + 1)).toList();
  }

  /** Polls until {@code fs}'s snapshots satisfy {@code done} (the daemon works on its threads). */
  private static List<String> await(String fs, String what, Predicate<List<String>> done)
      throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      List<String> snaps = snapshots(fs);
      if (done.test(snaps)) {
        return snaps;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(fs + ": waited for " + what + ", have " + snaps);
      }
      Thread.sleep(200);
    }
  }

  private Result zrepl(String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--config", config.toString()));
    Result r = DaemonProcessHarness.zrepl(all.toArray(String[]::new));
    assertThat(r.code()).as("%s: %s", all, r.out()).isZero();
    return r;
  }

  private JsonNode sourceStatus() throws Exception {
    JsonNode jobs =
        new ObjectMapper().readTree(zrepl("status", "--mode", "raw").out()).path("jobs");
    for (JsonNode j : jobs) {
      if (j.path("name").asText().equals("laptop")) {
        return j;
      }
    }
    throw new AssertionError("no job laptop in " + jobs);
  }

  @Test
  void theSourcePrunesOnItsOwnAndKeepsWhatThePullerNeeds() throws Exception {
    String a = src + "/a";
    String pulled = dst + "/" + src + "/a";
    try (DaemonProcessHarness d = DaemonProcessHarness.start(config)) {
      d.await(l -> l.contains("daemon starting"), WAIT, "daemon starting");
      String first = await(a, "the start round", s -> s.size() == 1).get(0);
      d.await(l -> l.contains("prune laptop (sender): " + a), WAIT, "the source's first prune");
      Thread.sleep(1100); // snapshot names have one-second resolution
      zrepl("signal", "snapshot", "laptop");
      List<String> two = await(a, "a second snapshot", s -> s.size() == 2);
      assertThat(two.get(0)).as("no puller yet: nothing pruned").isEqualTo(first);
      JsonNode status = sourceStatus();
      assertThat(status.path("type").asText()).isEqualTo("source");
      assertThat(status.path("datasets").findValuesAsText("detail"))
          .singleElement()
          .asString()
          .contains("not pruned: no puller completed a step since the daemon started");

      zrepl("signal", "wakeup", "puller");
      String sent = two.get(1);
      await(pulled, "the pull of " + sent, s -> s.equals(List.of(sent)));

      Thread.sleep(1100);
      zrepl("signal", "snapshot", "laptop");
      List<String> kept =
          await(a, "the round after the pull", s -> s.size() == 2 && !s.contains(first));
      assertThat(kept.get(0)).as("the snapshot the puller has").isEqualTo(sent);
      String third = kept.get(1);

      zrepl("signal", "wakeup", "puller");
      await(pulled, "the incremental pull of " + third, s -> s.equals(List.of(third)));
      zrepl("signal", "wakeup", "laptop");
      assertThat(await(a, "pruning the old base", s -> s.equals(List.of(third))))
          .containsExactly(third);
      assertThat(sourceStatus().path("errors")).isEmpty();

      d.signal("TERM");
      assertThat(d.awaitExit(WAIT)).isZero();
    }
  }
}
