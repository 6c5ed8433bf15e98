package org.zrepl.app.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.zrepl.app.job.SnapperReport;
import org.zrepl.app.prune.PruneProgress;
import org.zrepl.app.prune.PruneSide;
import org.zrepl.app.snapshot.HookRun;
import org.zrepl.app.snapshot.SnapshotOutcome;
import org.zrepl.app.snapshot.SnapshotRound;
import org.zrepl.domain.dataset.DatasetPath;

class StatusViewsTest {

  private static final Instant T0 = Instant.parse("2026-12-05T08:00:00Z");
  private static final DatasetPath A = DatasetPath.of("pool/a");
  private static final DatasetPath B = DatasetPath.of("pool/b");

  @Test
  void theSnapshottingViewCarriesTheRoundsDurationAndEachFilesystemsHooks() {
    TreeMap<DatasetPath, SnapshotOutcome> results = new TreeMap<>();
    HookRun preA = new HookRun("/bin/freeze", HookRun.Edge.PRE, A, true, "exit status 0");
    HookRun postA = new HookRun("/bin/thaw", HookRun.Edge.POST, A, true, "exit status 0");
    HookRun preB = new HookRun("/bin/freeze", HookRun.Edge.PRE, B, false, "exit status 1");
    results.put(A, new SnapshotOutcome.Taken("zrepl_1"));
    results.put(B, new SnapshotOutcome.SkippedByHook(preB));
    SnapshotRound round =
        new SnapshotRound(T0, "zrepl_1", results, List.of(preA, preB, postA), T0.plusMillis(1500));

    JobStatus.Snapshotting s = StatusViews.snapshotting(Optional.of(round));

    assertThat(s.at()).isEqualTo("2026-12-05T08:00:00Z");
    assertThat(s.millis()).isEqualTo(1500);
    assertThat(s.filesystems())
        .containsExactly(
            new JobStatus.SnapshotResult(
                "pool/a",
                "taken",
                "zrepl_1",
                "",
                "pre_snapshot hook /bin/freeze: exit status 0; post_snapshot hook /bin/thaw: exit"
                    + " status 0"),
            new JobStatus.SnapshotResult(
                "pool/b",
                "skipped",
                "zrepl_1",
                "skipped: pre_snapshot hook /bin/freeze for pool/b: exit status 1",
                "pre_snapshot hook /bin/freeze: exit status 1"));
  }

  @Test
  void aPruneRunInProgressCarriesItsStateAndEachFilesystemPendingOrCompleted() {
    PruneProgress.Report exec =
        new PruneProgress.Report(
            PruneSide.RECEIVER,
            PruneProgress.State.EXEC,
            "",
            List.of(
                new PruneProgress.Filesystem(A, 5, 2, true, 1, 1, "@s1: dataset is busy"),
                new PruneProgress.Filesystem(B, 4, 3, false, 0, 0, "")));
    PruneProgress.Report planErr =
        new PruneProgress.Report(
            PruneSide.SENDER, PruneProgress.State.PLAN_ERR, "connection refused", List.of());

    assertThat(StatusViews.pruning(List.of(planErr, exec)))
        .containsExactly(
            new JobStatus.Pruning("sender", List.of(), "PlanErr", "connection refused"),
            new JobStatus.Pruning(
                "receiver",
                List.of(
                    new JobStatus.PruneResult("pool/a", 1, 5, 1, "@s1: dataset is busy", 2, true),
                    new JobStatus.PruneResult("pool/b", 0, 4, 0, "", 3, false)),
                "Exec",
                ""));
  }

  @Test
  void theSnapshottingViewCarriesTheSnappersStateSleepAndError() {
    JobStatus.Snapshotting s =
        StatusViews.snapshotting(
            Optional.empty(),
            Optional.of(
                new SnapperReport(
                    "ErrorWait", Optional.of(T0.plusMillis(3_600_400)), "pool/a: out of space")));

    assertThat(s.state()).isEqualTo("ErrorWait");
    assertThat(s.sleepUntil()).isEqualTo("2026-12-05T09:00:00Z");
    assertThat(s.error()).isEqualTo("pool/a: out of space");
    assertThat(s.at()).isEmpty();
    assertThat(StatusViews.snapshotting(Optional.empty(), Optional.empty()).state())
        .as("manual: no snapshotter")
        .isEmpty();
  }
}
