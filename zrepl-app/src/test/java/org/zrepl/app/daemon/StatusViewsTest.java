package org.zrepl.app.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
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
}
