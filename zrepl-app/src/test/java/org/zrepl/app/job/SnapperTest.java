package org.zrepl.app.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.zrepl.app.config.Job;
import org.zrepl.app.prune.PruneProgress;
import org.zrepl.app.prune.PruneSide;
import org.zrepl.app.replication.Sleeper;
import org.zrepl.app.snapshot.SnapshotListener;
import org.zrepl.app.testing.ManualClock;
import org.zrepl.app.testing.ManualScheduler;
import org.zrepl.app.testing.RecordingCommandRunner;
import org.zrepl.app.testing.TestConfigs;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.port.zfs.ZfsCapabilities;
import org.zrepl.port.zfs.ZfsException;
import org.zrepl.zfs.fake.InMemoryZfs;

/**
 * The snapshotter's states as zrepl's snapper reports them, through every transition the loop
 * reaches, driven by a manual clock and scheduler on the in-memory ZFS.
 */
class SnapperTest {

  private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
  private static final Duration HOUR = Duration.ofHours(1);
  private static final DatasetPath A = DatasetPath.of("src/a");

  private static String yaml(String type, String snapshotting) {
    return """
        jobs:
        - name: mirror
          type: %s
          %s
          snapshotting: %s
          pruning:
            %s
        """
        .formatted(
            type,
            type.equals("local")
                ? "mapping: { \"src/a\": \"dst/a\" }"
                : "filesystems: { \"src/a\": true }",
            snapshotting,
            type.equals("local")
                ? "keep_sender: [ { type: last_n, count: 1 } ]\n    keep_receiver: [ { type: last_n,"
                    + " count: 5 } ]"
                : "keep: [ { type: last_n, count: 5 } ]");
  }

  private static final String PERIODIC = "{ type: periodic, prefix: zrepl_, interval: 1h }";

  private final ManualClock clock = new ManualClock(T0);
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final InMemoryZfs zfs = new InMemoryZfs(ZfsCapabilities.openZfs21(), clock, 5);
  private final AtomicReference<Runnable> onRound = new AtomicReference<>(() -> {});

  SnapperTest() {
    zfs.createPool("src");
    zfs.createPool("dst");
    zfs.createFilesystem(A, Map.of(), false);
    zfs.write(A, "f", "data".getBytes(StandardCharsets.UTF_8));
  }

  private ReplicationJob local(String snapshotting) {
    return LocalJob.of(
        (Job.Local) TestConfigs.job(yaml("local", snapshotting), "mirror"),
        zfs,
        new RecordingCommandRunner(),
        clock,
        scheduler,
        clock::advance,
        r -> onRound.get().run());
  }

  private SnapJob snap(String snapshotting) {
    SnapshotListener listener = r -> onRound.get().run();
    return SnapJob.of(
        (Job.Snap) TestConfigs.job(yaml("snap", snapshotting), "mirror"),
        zfs,
        new RecordingCommandRunner(),
        clock,
        Sleeper.system(),
        scheduler,
        listener,
        Runnable::run);
  }

  private static ZfsException noSpace() {
    return new ZfsException(List.of("zfs", "snapshot"), 1, "out of space");
  }

  @Test
  void aPeriodicSnapperSyncsUpSnapshotsWaitsFailsWaitsAgainAndStops() {
    zfs.snapshot(List.of(A), "zrepl_20260301_000000_000");
    clock.set(T0.plus(Duration.ofMinutes(30)));
    ReplicationJob job = local(PERIODIC);
    assertThat(job.snapper().orElseThrow().state()).as("before start").isEqualTo("Stopped");

    job.start();
    assertThat(job.snapper())
        .as("waiting for the sync point: an interval after the newest snapshot")
        .contains(new SnapperReport("SyncUp", Optional.of(T0.plus(HOUR)), ""));

    List<String> during = new ArrayList<>();
    onRound.set(() -> during.add(job.snapper().orElseThrow().state()));
    assertThat(scheduler.advance(Duration.ofMinutes(30))).isEqualTo(1);
    assertThat(during).as("told while its round runs").containsExactly("Snapshotting");
    assertThat(job.snapper())
        .contains(new SnapperReport("Waiting", Optional.of(T0.plus(HOUR.multipliedBy(2))), ""));

    zfs.failNext("snapshot", noSpace());
    assertThat(scheduler.advance(HOUR)).isEqualTo(1);
    SnapperReport failed = job.snapper().orElseThrow();
    assertThat(failed.state()).isEqualTo("ErrorWait");
    assertThat(failed.sleepUntil()).contains(T0.plus(HOUR.multipliedBy(3)));
    assertThat(failed.error()).contains("src/a: snapshot").contains("out of space");

    assertThat(scheduler.advance(HOUR)).isEqualTo(1);
    assertThat(job.snapper())
        .as("the next round succeeds: the error is gone")
        .contains(new SnapperReport("Waiting", Optional.of(T0.plus(HOUR.multipliedBy(4))), ""));

    job.stop();
    assertThat(job.snapper()).contains(new SnapperReport("Stopped", Optional.empty(), ""));
  }

  @Test
  void aRoundOnSignalSnapshotsAndWaitsForTheSameRoundAsBefore() {
    ReplicationJob job = local(PERIODIC);
    job.start();
    scheduler.advance(Duration.ZERO); // the first round: no snapshot yet, so now
    Optional<Instant> next = job.snapper().orElseThrow().sleepUntil();
    assertThat(next).contains(T0.plus(HOUR));
    clock.advance(Duration.ofMinutes(10));

    List<String> during = new ArrayList<>();
    onRound.set(() -> during.add(job.snapper().orElseThrow().state()));
    job.runOnce(true);

    assertThat(during).containsExactly("Snapshotting");
    assertThat(job.snapper()).contains(new SnapperReport("Waiting", next, ""));
  }

  @Test
  void noSyncPointIsSyncUpErrWaitForAnInterval() {
    clock.set(T0.plus(Duration.ofHours(5)));
    zfs.snapshot(List.of(A), "zrepl_future");
    clock.jumpTo(T0);
    ReplicationJob job = local(PERIODIC);

    job.start();

    SnapperReport r = job.snapper().orElseThrow();
    assertThat(r.state()).isEqualTo("SyncUpErrWait");
    assertThat(r.sleepUntil()).contains(T0.plus(HOUR));
    assertThat(r.error()).contains("from the future");
  }

  @Test
  void aSnapJobsSnapperGoesTheSameWayAndThePruneRunIsReported() {
    SnapJob job = snap(PERIODIC);
    assertThat(job.pruning()).as("before the first round").isEmpty();
    job.start();
    assertThat(job.snapper()).contains(new SnapperReport("SyncUp", Optional.of(T0), ""));

    List<String> during = new ArrayList<>();
    onRound.set(() -> during.add(job.snapper().orElseThrow().state()));
    scheduler.advance(Duration.ZERO);

    assertThat(during).containsExactly("Snapshotting");
    assertThat(job.snapper())
        .contains(new SnapperReport("Waiting", Optional.of(T0.plus(HOUR)), ""));
    PruneProgress.Report pruned = job.pruning().orElseThrow();
    assertThat(pruned.side()).isEqualTo(PruneSide.LOCAL);
    assertThat(pruned.state()).isEqualTo(PruneProgress.State.DONE);
    assertThat(pruned.completed()).extracting(PruneProgress.Filesystem::fs).contains(A);

    zfs.failNext("snapshot", noSpace());
    scheduler.advance(HOUR);
    assertThat(job.snapper().orElseThrow().state()).isEqualTo("ErrorWait");
    job.stop();
    assertThat(job.snapper().orElseThrow().state()).isEqualTo("Stopped");
  }

  @Test
  void aCronSnapperSaysWaitingAndRunningAsZreplsDoes() {
    SnapJob job = snap("{ type: cron, prefix: zrepl_, cron: \"0 * * * *\" }");
    job.start();
    assertThat(job.snapper())
        .contains(new SnapperReport("waiting", Optional.of(T0.plus(HOUR)), ""));

    List<String> during = new ArrayList<>();
    onRound.set(() -> during.add(job.snapper().orElseThrow().state()));
    scheduler.advance(HOUR);

    assertThat(during).containsExactly("running");
    assertThat(job.snapper())
        .contains(new SnapperReport("waiting", Optional.of(T0.plus(HOUR.multipliedBy(2))), ""));
    job.stop();
    assertThat(job.snapper()).contains(new SnapperReport("stopped", Optional.empty(), ""));
  }

  @Test
  void manualSnapshottingHasNoSnapper() {
    assertThat(local("{ type: manual }").snapper()).isEmpty();
    assertThat(snap("{ type: manual }").snapper()).isEmpty();
  }

  @Test
  void theSnapperItselfPlansBeforeItSnapshotsAndARoundAfterAStopEndsStopped() {
    Snapper s = new Snapper(false);
    s.syncUp(Optional.of(T0), List.of(), false);
    s.planning();
    assertThat(s.report().state()).isEqualTo("Planning");
    s.snapshotting();
    assertThat(s.report().state()).isEqualTo("Snapshotting");
    s.stopped();
    assertThat(s.report().state()).as("the round in progress finishes").isEqualTo("Snapshotting");
    s.roundEnded(List.of());
    assertThat(s.report()).isEqualTo(new SnapperReport("Stopped", Optional.empty(), ""));
  }

  @Test
  void aLocalJobReportsBothSidesPruneRunsAndAResetKeepsThePreviousOnes() {
    ReplicationJob job = local("{ type: manual }");
    assertThat(job.pruning()).isEmpty();
    zfs.snapshot(List.of(A), "s1");
    clock.advance(Duration.ofMinutes(1));
    zfs.snapshot(List.of(A), "s2");

    job.runOnce();

    List<PruneProgress.Report> runs = job.pruning();
    assertThat(runs)
        .extracting(PruneProgress.Report::side)
        .containsExactly(PruneSide.SENDER, PruneSide.RECEIVER);
    assertThat(runs).allSatisfy(r -> assertThat(r.state()).isEqualTo(PruneProgress.State.DONE));
    PruneProgress.Filesystem sender = runs.get(0).completed().get(0);
    assertThat(sender.fs()).isEqualTo(A);
    assertThat(sender.snapshots()).isEqualTo(2);
    assertThat(sender.destroyed()).as("keep_sender keeps the newest only").isEqualTo(1);
    assertThat(runs.get(1).completed().get(0).fs()).isEqualTo(DatasetPath.of("dst/a"));
  }
}
