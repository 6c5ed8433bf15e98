package org.zrepl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.zfs.Zfs;
import org.zrepl.port.zfs.ZfsCapabilities;
import org.zrepl.zfs.fake.InMemoryZfs;

/** {@code zrepl run --once} against the ZFS fake. */
class RunCommandTest {

  private static final DatasetPath A = DatasetPath.of("src/a");
  private static final DatasetPath B = DatasetPath.of("src/a/b");

  /** The job's clock and the fake's: snapshot names and creation times come from it. */
  private final MutableClock clock = new MutableClock(Instant.parse("2026-05-01T10:00:00Z"));

  @TempDir Path dir;
  InMemoryZfs zfs;
  Path config;

  @BeforeEach
  void setUp() throws IOException {
    zfs = new InMemoryZfs(ZfsCapabilities.zfsFuse(), clock, 3);
    zfs.createPool("src");
    zfs.createPool("dst");
    for (DatasetPath fs : List.of(A, B)) {
      zfs.createFilesystem(fs, Map.of(), false);
      zfs.write(fs, "f", new byte[3000]);
    }
    config = dir.resolve("zrepl.yml");
    Files.writeString(
        config,
        """
        jobs:
        - name: mirror
          type: local
          mapping: { "src<": "dst/src" }
          snapshotting: { type: periodic, prefix: zrepl_, interval: 1h }
          pruning:
            keep_sender: [ { type: not_replicated }, { type: last_n, count: 3 } ]
            keep_receiver: [ { type: last_n, count: 3 } ]
        - name: manual_mirror
          type: local
          mapping: { "src<": "dst/manual" }
          snapshotting: { type: manual }
          pruning:
            keep_sender: [ { type: not_replicated } ]
            keep_receiver: [ { type: last_n, count: 3 } ]
        - name: snaps
          type: snap
          filesystems: { "src<": true }
          snapshotting: { type: periodic, prefix: snap_, interval: 1h }
          pruning:
            keep: [ { type: last_n, count: 1 } ]
        - name: manual_snaps
          type: snap
          filesystems: { "src<": true }
          snapshotting: { type: manual }
          pruning:
            keep: [ { type: last_n, count: 1 } ]
        - name: pusher
          type: push
          connect: { type: tcp, address: "backup:8888" }
          filesystems: { "src<": true }
          snapshotting: { type: manual }
          pruning:
            keep_sender: [ { type: not_replicated } ]
            keep_receiver: [ { type: last_n, count: 3 } ]
        """,
        StandardCharsets.UTF_8);
  }

  private Cli run(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--config";
    all[1] = config.toString();
    System.arraycopy(args, 0, all, 2, args.length);
    clock.tick();
    return Cli.run(List.of(), () -> zfs, clock, all);
  }

  private List<String> names(String fs) {
    return zfs.listVersions(DatasetPath.of(fs)).stream()
        .filter(FilesystemVersion::isSnapshot)
        .map(FilesystemVersion::name)
        .toList();
  }

  @Test
  void firstRunSnapshotsReplicatesAndPrintsWhatItDid() {
    Cli r = run("run", "--once", "mirror");

    assertThat(r.err()).isEmpty();
    assertThat(r.code()).isZero();
    assertThat(r.out())
        .contains("job mirror (local)")
        .containsPattern("snapshot @zrepl_\\S+: taken on 3 of 3 filesystems")
        .contains("replication:")
        .containsPattern("src/a: .*1 step, [0-9.]+ KiB")
        .containsPattern("total: 3 steps, ")
        .contains("guarantees off on this ZFS: ")
        .contains("prune sender: destroyed 0 snapshots")
        .endsWith("ok\n");
    assertThat(names("dst/src/a/b")).isEqualTo(names("src/a/b")).hasSize(1);
  }

  @Test
  void secondRunSeesNoSnapshotDueAndNothingToSend() {
    run("run", "--once", "mirror");

    Cli r = run("run", "--once", "mirror");

    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("snapshot: none due", "total: 0 steps");
    assertThat(names("src/a")).hasSize(1);
  }

  @Test
  void snapshotFlagForcesARoundAndItIsReplicatedIncrementally() {
    run("run", "--once", "mirror");

    Cli r = run("run", "--once", "--snapshot", "mirror");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).containsPattern("snapshot @zrepl_\\S+: taken on 3 of 3");
    assertThat(r.out()).containsPattern("src/a: incremental.*1 step");
    assertThat(names("dst/src/a")).hasSize(2).isEqualTo(names("src/a"));
  }

  @Test
  void aDivergedReceiverExitsOneNamingTheDatasetAndTheConflict() {
    run("run", "--once", "mirror");
    zfs.snapshot(List.of(DatasetPath.of("dst/src/a")), "tampered");

    Cli r = run("run", "--once", "--snapshot", "mirror");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("src/a: conflict: receiver diverged");
    assertThat(r.err())
        .contains("zrepl: src/a: conflict: receiver diverged", "tampered")
        .contains("zrepl: job mirror failed for 1 dataset: src/a");
    assertThat(names("dst/src/a")).contains("tampered");
    assertThat(names("dst/src/a/b")).hasSize(2);
  }

  @Test
  void manualSnapshottingReplicatesWhatExistsAndRefusesSnapshotFlag() {
    zfs.snapshot(List.of(DatasetPath.of("src"), A, B), "by_hand");

    Cli ok = run("run", "--once", "manual_mirror");
    Cli refused = run("run", "--once", "--snapshot", "manual_mirror");

    assertThat(ok.code()).as(ok.err()).isZero();
    assertThat(ok.out()).contains("snapshot: none due");
    assertThat(names("dst/manual/a")).containsExactly("by_hand");
    assertThat(refused.code()).isEqualTo(2);
    assertThat(refused.err()).contains("'manual_mirror' has manual snapshotting");
  }

  @Test
  void snapshotFlagOnAManualSnapJobIsAUsageError() {
    Cli refused = run("run", "--once", "--snapshot", "manual_snaps");
    Cli ok = run("run", "--once", "manual_snaps");

    assertThat(refused.code()).isEqualTo(2);
    assertThat(refused.err())
        .contains("'manual_snaps' has manual snapshotting: it takes no snapshots itself")
        .contains("drop --snapshot");
    assertThat(ok.code()).as(ok.err()).isZero();
    assertThat(names("src/a")).isEmpty();
  }

  @Test
  void aFailedInvocationIsAFailureWithItsCauseNotAUsageError() {
    Zfs broken =
        (Zfs)
            Proxy.newProxyInstance(
                Zfs.class.getClassLoader(),
                new Class<?>[] {Zfs.class},
                (proxy, m, args) -> {
                  if (m.getName().equals("snapshot")) {
                    // a bug or a broken state, not a ZFS error: nothing handles it on the way
                    throw new IllegalStateException(
                        "snapshot machinery broken", new java.io.IOException("disk on fire"));
                  }
                  try {
                    return m.invoke(zfs, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    String[] args = {"--config", config.toString(), "run", "--once", "--snapshot", "mirror"};

    Cli r = Cli.run(List.of(), () -> broken, clock, args);

    assertThat(r.code()).as(r.err()).isEqualTo(1);
    assertThat(r.err())
        .contains("zrepl: error: job 'mirror' failed: ")
        .contains("snapshot machinery broken")
        .contains("caused by: java.io.IOException: disk on fire")
        .doesNotContain("--snapshot");
  }

  @Test
  void snapJobSnapshotsAndPrunes() {
    Cli r = run("run", "--once", "snaps");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("job snaps (snap)").containsPattern("snapshot @snap_\\S+");
    assertThat(names("src/a")).singleElement().asString().startsWith("snap_");
  }

  @Test
  void withoutOnceIsAUsageError() {
    Cli r = run("run", "mirror");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("run needs --once");
  }

  @Test
  void unknownJobIsAUsageErrorListingTheJobs() {
    Cli r = run("run", "--once", "nope");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .contains("no job named 'nope'", "mirror, manual_mirror, snaps, manual_snaps, pusher");
  }

  @Test
  void aPushJobWhoseSinkCannotBeReachedFailsNamingTheAddress() {
    Cli r = run("run", "--once", "pusher");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).as(r.err()).contains("job pusher (push)");
    assertThat(r.err()).contains("cannot connect to tcp backup:8888", "zrepl: job pusher failed");
  }

  @Test
  void bytesAreHumanReadable() {
    assertThat(RunOnceOutput.bytes(1000)).isEqualTo("1000 B");
    assertThat(RunOnceOutput.bytes(1536)).isEqualTo("1.5 KiB");
    assertThat(RunOnceOutput.bytes(3L << 30)).isEqualTo("3.0 GiB");
  }

  /** A clock that moves one minute each time a command runs. */
  private static final class MutableClock extends Clock {
    private Instant now;

    MutableClock(Instant start) {
      now = start;
    }

    void tick() {
      now = now.plus(Duration.ofMinutes(1));
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException("fixed zone");
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
