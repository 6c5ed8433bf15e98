package org.zrepl.app.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.zrepl.app.config.Job;
import org.zrepl.app.testing.ManualClock;
import org.zrepl.app.testing.ManualScheduler;
import org.zrepl.app.testing.RecordingCommandRunner;
import org.zrepl.app.testing.TestConfigs;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.zfs.ZfsCapabilities;
import org.zrepl.zfs.fake.InMemoryZfs;

/** The job's snapshot loop on the in-memory ZFS, driven by a manual scheduler. */
class SnapshotLoopTest {

  private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
  private static final DatasetPath A = DatasetPath.of("src/a");

  private static final String YAML =
      """
      jobs:
      - name: mirror
        type: local
        mapping: { "src/a": "dst/a" }
        snapshotting: { type: periodic, prefix: zrepl_, interval: 1h }
        pruning:
          keep_sender: [ { type: regex, regex: ".*" } ]
          keep_receiver: [ { type: regex, regex: ".*" } ]
      """;

  private final ManualClock clock = new ManualClock(T0);
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final InMemoryZfs zfs = new InMemoryZfs(ZfsCapabilities.openZfs21(), clock, 5);
  private final AtomicReference<Runnable> onRound = new AtomicReference<>(() -> {});

  SnapshotLoopTest() {
    zfs.createPool("src");
    zfs.createPool("dst");
    zfs.createFilesystem(A, Map.of(), false);
    zfs.write(A, "f", "data".getBytes(StandardCharsets.UTF_8));
  }

  /** The job; each snapshot round's notification runs {@code onRound} instead of a wakeup. */
  private ReplicationJob job() {
    return LocalJob.of(
        (Job.Local) TestConfigs.job(YAML, "mirror"),
        zfs,
        new RecordingCommandRunner(),
        clock,
        scheduler,
        clock::advance,
        r -> onRound.get().run());
  }

  private List<String> snapshots() {
    return zfs.listVersions(A).stream()
        .filter(FilesystemVersion::isSnapshot)
        .map(FilesystemVersion::name)
        .toList();
  }

  @Test
  void theFirstRoundIsAtTheSyncPointAndEachNextOneAnIntervalLater() {
    zfs.snapshot(List.of(A), "zrepl_20260301_000000_000");
    clock.set(T0.plus(Duration.ofMinutes(30)));
    ReplicationJob job = job();
    job.start();

    assertThat(job.state().nextSnapshotDue()).contains(T0.plus(Duration.ofHours(1)));
    assertThat(scheduler.advance(Duration.ofMinutes(30))).isEqualTo(1);
    assertThat(snapshots()).hasSize(2);
    assertThat(scheduler.nextDue()).contains(T0.plus(Duration.ofHours(2)));
    assertThat(job.state().nextSnapshotDue()).contains(T0.plus(Duration.ofHours(2)));
  }

  @Test
  void aStopDuringARoundLetsItFinishAndSchedulesNoOther() {
    ReplicationJob job = job();
    onRound.set(job::stop);
    job.start();

    assertThat(scheduler.advance(Duration.ZERO)).isEqualTo(1);

    assertThat(snapshots()).as("the round finished").hasSize(1);
    assertThat(job.state().lastSnapshots().orElseThrow().taken()).containsExactly(A);
    assertThat(job.state().running()).isFalse();
    assertThat(job.state().nextSnapshotDue()).isEmpty();
    assertThat(scheduler.nextDue()).as("no next round").isEmpty();
  }

  @Test
  void aRoundFromBeforeAStopAndRestartDoesNothing() {
    ReplicationJob job = job();
    job.start();
    job.stop();
    job.start();

    assertThat(scheduler.advance(Duration.ZERO)).as("the old round is cancelled").isEqualTo(1);
    assertThat(snapshots()).hasSize(1);
    assertThat(scheduler.nextDue()).contains(T0.plus(Duration.ofHours(1)));
  }
}
