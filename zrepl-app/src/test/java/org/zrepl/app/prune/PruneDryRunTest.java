package org.zrepl.app.prune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.zrepl.app.config.Job;
import org.zrepl.app.endpoint.EndpointNames;
import org.zrepl.app.testing.ManualClock;
import org.zrepl.app.testing.TestConfigs;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.zfs.ReceiveOptions;
import org.zrepl.port.zfs.SendRequest;
import org.zrepl.port.zfs.SendStream;
import org.zrepl.port.zfs.ZfsCapabilities;
import org.zrepl.zfs.fake.InMemoryZfs;

class PruneDryRunTest {

  private static final String SNAP_JOB =
      """
      jobs:
      - name: snapjob
        type: snap
        filesystems: { "pool/a": true }
        snapshotting:
          type: manual
        pruning:
          keep:
          - type: last_n
            count: 2
          - type: regex
            regex: "^manual_"
      """;

  private final ManualClock clock = new ManualClock(Instant.parse("2024-05-01T00:00:00Z"));
  private final InMemoryZfs zfs = new InMemoryZfs(ZfsCapabilities.openZfs21(), clock, 3);

  private void snapshots(DatasetPath fs, String... names) {
    for (String n : names) {
      zfs.snapshot(List.of(fs), n);
      clock.advance(Duration.ofHours(1));
    }
  }

  private Map<DatasetPath, List<FilesystemVersion>> everything() {
    List<DatasetPath> all =
        zfs.listDatasets(List.of(), java.util.Set.of()).stream()
            .map(org.zrepl.port.zfs.DatasetInfo::path)
            .toList();
    return zfs.listVersions(all);
  }

  @Test
  void listsEverySnapshotWithItsVerdictAndChangesNothing() {
    zfs.createPool("pool");
    DatasetPath a = DatasetPath.of("pool/a");
    zfs.createFilesystem(a, Map.of(), false);
    zfs.createFilesystem(DatasetPath.of("pool/b"), Map.of(), false);
    snapshots(a, "zrepl_1", "manual_x", "zrepl_2", "zrepl_3", "zrepl_4");
    snapshots(DatasetPath.of("pool/b"), "zrepl_1");
    Map<DatasetPath, List<FilesystemVersion>> before = everything();

    Job job = TestConfigs.job(SNAP_JOB, "snapjob");
    List<String> lines = new PruneDryRun(zfs).run(job, PruneTargets.defaultSide(job));

    assertThat(lines)
        .containsExactly(
            "job snapjob, local side: 1 filesystems (dry run, nothing is destroyed)",
            "pool/a: keep 3, destroy 2",
            "  DESTROY pool/a@zrepl_1  not kept by any rule",
            "  KEEP    pool/a@manual_x  kept by regex ^manual_",
            "  DESTROY pool/a@zrepl_2  not kept by any rule",
            "  KEEP    pool/a@zrepl_3  kept by last_n count=2",
            "  KEEP    pool/a@zrepl_4  kept by last_n count=2");
    assertThat(everything()).isEqualTo(before);
    assertThat(zfs.processesStarted("destroy")).isZero();
  }

  private static final String LOCAL_JOB =
      """
      jobs:
      - name: mirror
        type: local
        mapping: { "src<": "dst/src" }
        snapshotting:
          type: manual
        pruning:
          keep_sender:
          - type: last_n
            count: 1
          keep_receiver:
          - type: last_n
            count: 1
      """;

  @Test
  void aLocalJobProtectsTheIncrementalBaseOnBothSides() {
    zfs.createPool("src");
    zfs.createPool("dst");
    DatasetPath src = DatasetPath.of("src");
    DatasetPath dst = DatasetPath.of("dst/src");
    snapshots(src, "zrepl_1", "zrepl_2", "zrepl_3");
    replicate(src, "zrepl_2", dst);
    Map<DatasetPath, List<FilesystemVersion>> before = everything();

    Job job = TestConfigs.job(LOCAL_JOB, "mirror");
    List<String> sender = new PruneDryRun(zfs).run(job, PruneSide.SENDER);
    List<String> receiver = new PruneDryRun(zfs).run(job, PruneSide.RECEIVER);

    assertThat(sender)
        .containsExactly(
            "job mirror, sender side: 1 filesystems (dry run, nothing is destroyed)",
            "src: keep 2, destroy 1",
            "  DESTROY src@zrepl_1  not kept by any rule",
            "  KEEP    src@zrepl_2  protected: incremental base",
            "  KEEP    src@zrepl_3  kept by last_n count=1");
    assertThat(receiver)
        .containsExactly(
            "job mirror, receiver side: 1 filesystems (dry run, nothing is destroyed)",
            "dst/src: keep 1, destroy 0",
            "  KEEP    dst/src@zrepl_2  protected: incremental base");
    assertThat(everything()).isEqualTo(before);
  }

  private static final String PUSH_JOB =
      """
      jobs:
      - name: pusher
        type: push
        connect: { type: tcp, address: "backup:8888" }
        filesystems: { "pool<": true }
        snapshotting: { type: manual }
        pruning:
          keep_sender:
          - type: not_replicated
          - type: last_n
            count: 1
          keep_receiver: []
      """;

  @Test
  void theSendersReplicationCursorFeedsNotReplicated() {
    zfs.createPool("pool");
    DatasetPath pool = DatasetPath.of("pool");
    snapshots(pool, "zrepl_1", "zrepl_2", "zrepl_3", "zrepl_4");
    FilesystemVersion two = zfs.listVersions(pool).get(1);
    zfs.bookmark(pool, "zrepl_2", EndpointNames.forJob("pusher").cursorBookmark(two.guid()));
    zfs.bookmark(pool, "zrepl_3", EndpointNames.forJob("other").cursorBookmark(99));

    Job job = TestConfigs.job(PUSH_JOB, "pusher");
    List<String> lines = new PruneDryRun(zfs).run(job, PruneTargets.defaultSide(job));

    assertThat(lines)
        .containsExactly(
            "job pusher, sender side: 1 filesystems (dry run, nothing is destroyed)",
            "pool: keep 3, destroy 1",
            "  DESTROY pool@zrepl_1  not kept by any rule",
            "  KEEP    pool@zrepl_2  kept by not_replicated",
            "  KEEP    pool@zrepl_3  kept by not_replicated",
            "  KEEP    pool@zrepl_4  kept by not_replicated; last_n count=1");
  }

  @Test
  void aSideTheJobDoesNotPruneHereIsRefusedWithAHint() {
    Job job = TestConfigs.job(SNAP_JOB, "snapjob");
    assertThatThrownBy(() -> new PruneDryRun(zfs).run(job, PruneSide.RECEIVER))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "job 'snapjob' (snap) has no receiver side to prune on this machine;"
                + " try --side local");
  }

  /** A full send of {@code fs@snap} received as {@code target}. */
  private void replicate(DatasetPath fs, String snap, DatasetPath target) {
    SendStream s = zfs.send(SendRequest.full(fs, snap, java.util.Set.of()));
    byte[] data;
    try (InputStream in = s.data()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      data = out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    s.finish();
    zfs.receive(target, new ByteArrayInputStream(data), ReceiveOptions.defaults());
  }
}
