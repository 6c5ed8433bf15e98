package org.zrepl.app.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.zrepl.app.config.Job.Pull;
import org.zrepl.app.config.Job.Source;
import org.zrepl.app.remote.Transports;
import org.zrepl.app.testing.ManualClock;
import org.zrepl.app.testing.RecordingCommandRunner;
import org.zrepl.app.testing.TestConfigs;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.zfs.ZfsCapabilities;
import org.zrepl.transport.rpc.RemoteSender;
import org.zrepl.transport.rpc.RpcClient;
import org.zrepl.zfs.fake.InMemoryZfs;

/**
 * The source job in the daemon serves and runs its own snapshot and prune rounds; {@code signal
 * snapshot} and {@code wakeup} work on it. {@link JobRuntime#stop()} waits for the job's thread, so
 * the signalled rounds have run when it returns.
 */
class SourceJobRuntimeTest {

  private static final DatasetPath A = DatasetPath.of("src/a");

  private final ManualClock clock = new ManualClock(Instant.parse("2026-05-01T10:00:00Z"));
  private final Transports transports =
      org.zrepl.app.TestAdapters.transports(java.time.Clock.systemUTC());

  private static String yaml(String snapshotting) {
    return """
        jobs:
        - name: laptop
          type: source
          serve: { type: local, listener_name: laptop }
          filesystems: { "src/a": true }
          snapshotting: %s
          pruning:
            keep:
            - { type: last_n, count: 1 }
        - name: puller
          type: pull
          connect: { type: local, listener_name: laptop, client_identity: backups }
          root_fs: backups
          interval: manual
          pruning:
            keep_sender: []
            keep_receiver: []
        """
        .formatted(snapshotting);
  }

  private InMemoryZfs zfs(ZfsCapabilities caps) {
    InMemoryZfs zfs = new InMemoryZfs(caps, clock, 9);
    zfs.createPool("src");
    zfs.createFilesystem(A, Map.of(), false);
    return zfs;
  }

  private static List<String> names(InMemoryZfs zfs) {
    return zfs.listVersions(A).stream()
        .filter(FilesystemVersion::isSnapshot)
        .map(FilesystemVersion::name)
        .toList();
  }

  private SourceJobRuntime job(String snapshotting, InMemoryZfs zfs) {
    Source c = (Source) TestConfigs.job(yaml(snapshotting), "laptop");
    return SourceJobRuntime.of(
        c, org.zrepl.app.TestAdapters.deps(zfs, new RecordingCommandRunner(), clock), transports);
  }

  @Test
  void snapshotsOnItsScheduleAndOnSignalWhileServing() {
    InMemoryZfs zfs = zfs(ZfsCapabilities.openZfs21());
    // the sync point: the next round is due in ten minutes, so only the signalled one runs here
    zfs.snapshot(List.of(A), "zrepl_20260501_100000_000");
    SourceJobRuntime job = job("{ type: periodic, prefix: zrepl_, interval: 10m }", zfs);
    job.start();
    Pull pull = (Pull) TestConfigs.job(yaml("{ type: manual }"), "puller");
    try (RpcClient c = new RpcClient(transports.connector(pull.connect()))) {
      assertThat(new RemoteSender(c).listFilesystems())
          .extracting(f -> f.path())
          .containsExactly(A);
    }
    clock.advance(Duration.ofSeconds(5));
    job.snapshotNow();
    job.stop();

    assertThat(names(zfs))
        .as("the signalled round's snapshot, then last_n 1")
        .containsExactly("zrepl_20260501_100005_000");
    JobStatus s = job.status();
    assertThat(s.type()).isEqualTo("source");
    assertThat(s.errors()).isEmpty();
    assertThat(s.lastRunAt()).isEqualTo("2026-05-01T10:00:05Z");
    assertThat(s.datasets())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.filesystem()).isEqualTo("src/a");
              assertThat(d.detail()).contains("pruned 1, kept 1");
            });
  }

  @Test
  void withoutBookmarksItSaysWhyItDoesNotPruneAndWakeupPrunesNow() {
    InMemoryZfs zfs = zfs(ZfsCapabilities.zfsFuse());
    zfs.snapshot(List.of(A), "s1");
    zfs.snapshot(List.of(A), "s2");
    SourceJobRuntime job = job("{ type: manual }", zfs);
    job.start();

    assertThatThrownBy(job::snapshotNow)
        .isInstanceOf(SignalRefusedException.class)
        .hasMessageContaining("manual snapshotting");
    assertThatThrownBy(job::reset).isInstanceOf(SignalRefusedException.class);
    job.wakeup();
    job.stop();

    assertThat(names(zfs)).containsExactly("s1", "s2");
    assertThat(job.status().lastRunAt()).isNotEmpty();
    assertThat(job.status().datasets())
        .singleElement()
        .satisfies(
            d ->
                assertThat(d.detail())
                    .isEqualTo("pruned 0, kept 2; " + SourceJobRuntime.BASE_UNKNOWN));
    assertThat(job.status().state()).isEqualTo("stopped");
  }
}
