package org.zrepl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.zfs.DatasetInfo;
import org.zrepl.port.zfs.ReceiveOptions;
import org.zrepl.port.zfs.SendRequest;
import org.zrepl.port.zfs.SendStream;
import org.zrepl.port.zfs.ZfsCapabilities;
import org.zrepl.zfs.fake.InMemoryZfs;

/**
 * {@code zrepl test prune} of the sides push, pull and source jobs prune: the remote side listed
 * through the job's connection (a local listener served in-process by the same configuration's sink
 * or source), the incremental base protected; a source by its own keep; an unreachable peer
 * explained. The pool is untouched afterwards.
 */
class TestPruneRemoteTest {

  private static final DatasetPath A = DatasetPath.of("tank/a");
  private static final DatasetPath ON_SINK = DatasetPath.of("backup/sink/laptop/tank/a");
  private static final DatasetPath PULLED = DatasetPath.of("backup/pulled/a");

  @TempDir Path dir;
  InMemoryZfs zfs;
  Path config;

  @BeforeEach
  void setUp() throws IOException {
    zfs =
        new InMemoryZfs(
            ZfsCapabilities.zfsFuse(),
            Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC),
            1);
    zfs.createPool("tank");
    zfs.createPool("backup");
    zfs.createFilesystem(A, Map.of(), false);
    for (String s : List.of("zrepl_1", "zrepl_2", "zrepl_3")) {
      zfs.snapshot(List.of(A), s);
    }
    replicate("zrepl_2", ON_SINK);
    zfs.snapshot(List.of(ON_SINK), "r_extra");
    replicate("zrepl_3", PULLED);
    config = dir.resolve("zrepl.yml");
    Files.writeString(
        config,
        """
        jobs:
        - name: pusher
          type: push
          connect: { type: local, listener_name: sink, client_identity: laptop }
          filesystems: { "tank/a": true }
          snapshotting: { type: manual }
          pruning:
            keep_sender:
            - { type: last_n, count: 1 }
            keep_receiver:
            - { type: regex, regex: "^keep" }
        - name: sink
          type: sink
          root_fs: backup/sink
          serve: { type: local, listener_name: sink }
        - name: source
          type: source
          serve: { type: local, listener_name: src }
          filesystems: { "tank/a": true }
          snapshotting: { type: manual }
          pruning:
            keep:
            - { type: last_n, count: 1 }
        - name: puller
          type: pull
          connect: { type: local, listener_name: src, client_identity: backups }
          mapping: { "tank/a": "backup/pulled/a" }
          interval: manual
          pruning:
            keep_sender:
            - { type: last_n, count: 2 }
            keep_receiver:
            - { type: regex, regex: "^keep" }
        - name: far_pusher
          type: push
          connect: { type: tcp, address: "127.0.0.1:1" }
          filesystems: { "tank/a": true }
          snapshotting: { type: manual }
          pruning:
            keep_sender:
            - { type: last_n, count: 1 }
            keep_receiver: []
        """);
  }

  private void replicate(String snapshot, DatasetPath target) {
    zfs.createFilesystem(target.parent(), Map.of(), true);
    try (SendStream s = zfs.send(SendRequest.full(A, snapshot, Set.of()))) {
      zfs.receive(target, s.data(), ReceiveOptions.defaults());
      s.finish();
    }
  }

  private Cli run(String... args) {
    return Cli.run(List.of(config), () -> zfs, args);
  }

  private Map<DatasetPath, List<FilesystemVersion>> everything() {
    return zfs.listVersions(
        zfs.listDatasets(List.of(), Set.of()).stream().map(DatasetInfo::path).toList());
  }

  @Test
  void thePushJobsReceiverSideIsListedThroughItsConnectionWithTheBaseProtected() {
    Map<DatasetPath, List<FilesystemVersion>> before = everything();

    Cli r = run("test", "prune", "--job", "pusher", "--side", "receiver");

    assertThat(r.err()).isEmpty();
    assertThat(r.code()).isZero();
    assertThat(r.out())
        .isEqualTo(
            """
            job pusher, receiver side: 1 filesystems (dry run, nothing is destroyed; both sides\
             listed, the peer through local 'sink' as 'laptop')
            backup/sink/laptop/tank/a: keep 1, destroy 1
              KEEP    backup/sink/laptop/tank/a@zrepl_2  protected: incremental base
              DESTROY backup/sink/laptop/tank/a@r_extra  not kept by any rule
            """);
    assertThat(everything()).isEqualTo(before);
    assertThat(zfs.processesStarted("destroy")).isZero();
  }

  @Test
  void thePushJobsOwnSideKnowsTheBaseToo() {
    Cli r = run("test", "prune", "--job", "pusher");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains(
            "  DESTROY tank/a@zrepl_1  not kept by any rule",
            "  KEEP    tank/a@zrepl_2  protected: incremental base",
            "  KEEP    tank/a@zrepl_3  kept by last_n count=1");
  }

  @Test
  void aPullJobWithAMappingShowsBothSidesThroughTheSource() {
    Map<DatasetPath, List<FilesystemVersion>> before = everything();

    Cli receiver = run("test", "prune", "--job", "puller");
    Cli sender = run("test", "prune", "--job", "puller", "--side", "sender");

    assertThat(receiver.code()).as(receiver.err()).isZero();
    assertThat(receiver.out())
        .contains(
            "job puller, receiver side: 1 filesystems",
            "backup/pulled/a: keep 1, destroy 0",
            "  KEEP    backup/pulled/a@zrepl_3  protected: incremental base");
    assertThat(sender.code()).as(sender.err()).isZero();
    assertThat(sender.out())
        .contains(
            "job puller, sender side: 1 filesystems",
            "  DESTROY tank/a@zrepl_1  not kept by any rule",
            "  KEEP    tank/a@zrepl_2  kept by last_n count=2",
            "  KEEP    tank/a@zrepl_3  protected: incremental base");
    assertThat(everything()).isEqualTo(before);
    assertThat(zfs.processesStarted("destroy")).isZero();
  }

  @Test
  void aSourceShowsItsOwnKeepAndWhatTheDaemonAddsToIt() {
    Cli r = run("test", "prune", "--job", "source");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains(
            "job source, sender side: 1 filesystems (dry run, nothing is destroyed)",
            "  DESTROY tank/a@zrepl_2  not kept by any rule",
            "  KEEP    tank/a@zrepl_3  kept by last_n count=1",
            "note: the running daemon also keeps the snapshot a puller completed last");
  }

  @Test
  void anUnreachablePeerIsExplainedAndTheLocalSideShownAlone() {
    Cli receiver = run("test", "prune", "--job", "far_pusher", "--side", "receiver");
    Cli sender = run("test", "prune", "--job", "far_pusher");

    assertThat(receiver.code()).isEqualTo(1);
    assertThat(receiver.err())
        .contains(
            "cannot show the receiver side of job 'far_pusher': it is listed through the job's"
                + " connection, and cannot connect to tcp 127.0.0.1:1",
            "(is the peer's daemon running?)");
    assertThat(sender.code()).isZero();
    assertThat(sender.err())
        .contains(
            "zrepl: warning: cannot connect to tcp 127.0.0.1:1",
            "the incremental base is not known");
    assertThat(sender.out()).contains("  KEEP    tank/a@zrepl_3  kept by last_n count=1");
  }
}
