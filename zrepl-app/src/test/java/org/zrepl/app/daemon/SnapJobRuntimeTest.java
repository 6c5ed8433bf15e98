package org.zrepl.app.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.zrepl.app.job.SnapJobState;
import org.zrepl.app.prune.FilesystemPruneResult;
import org.zrepl.app.prune.PruneReport;
import org.zrepl.app.prune.PruneSide;
import org.zrepl.app.snapshot.SnapshotOutcome;
import org.zrepl.app.snapshot.SnapshotRound;
import org.zrepl.domain.dataset.DatasetPath;

class SnapJobRuntimeTest {

  private static final DatasetPath A = DatasetPath.of("pool/a");
  private static final DatasetPath B = DatasetPath.of("pool/b");

  @Test
  void statusShowsEachFilesystemsSnapshotAndPrune() {
    SnapJobState state =
        new SnapJobState(
            "hourly",
            true,
            Optional.of(Instant.parse("2026-11-25T10:00:00.700Z")),
            Optional.of(
                new SnapshotRound(
                    Instant.parse("2026-11-25T10:00:00Z"),
                    "zrepl_1",
                    new TreeMap<>(
                        Map.of(
                            A,
                            new SnapshotOutcome.Taken("zrepl_1"),
                            B,
                            new SnapshotOutcome.Failed("zrepl_1", "out of space"))),
                    List.of())),
            Optional.of(
                new PruneReport(
                    "hourly",
                    PruneSide.LOCAL,
                    List.of(new FilesystemPruneResult(A, List.of(), List.of(), List.of())))),
            Optional.of(Instant.parse("2026-11-25T11:00:00Z")),
            List.of("pool/b: failed"));

    JobStatus s = SnapJobRuntime.status(state, false, false);

    assertThat(s.state()).isEqualTo("idle");
    assertThat(s.lastRunAt()).isEqualTo("2026-11-25T10:00:00Z");
    assertThat(s.nextRunAt()).isEqualTo("2026-11-25T11:00:00Z");
    assertThat(s.errors()).containsExactly("pool/b: failed");
    assertThat(s.datasets())
        .extracting(JobStatus.DatasetStatus::filesystem)
        .containsExactly("pool/a", "pool/b");
    JobStatus.DatasetStatus a = s.datasets().get(0);
    assertThat(a.state()).isEqualTo("snapshotted");
    assertThat(a.detail())
        .isEqualTo(new SnapshotOutcome.Taken("zrepl_1").describe() + "; pruned 0, kept 0");
    assertThat(a.lastError()).isEmpty();
    JobStatus.DatasetStatus b = s.datasets().get(1);
    assertThat(b.state()).isEqualTo("failed");
    assertThat(b.lastError())
        .isEqualTo(new SnapshotOutcome.Failed("zrepl_1", "out of space").describe());

    assertThat(s.nextSnapshotAt()).isEqualTo("2026-11-25T11:00:00Z");
    assertThat(s.nextReplicationAt()).isEmpty();
    assertThat(s.snapshotting().at()).isEqualTo("2026-11-25T10:00:00Z");
    assertThat(s.snapshotting().filesystems())
        .containsExactly(
            new JobStatus.SnapshotResult("pool/a", "taken", "zrepl_1", ""),
            new JobStatus.SnapshotResult(
                "pool/b",
                "failed",
                "zrepl_1",
                new SnapshotOutcome.Failed("zrepl_1", "out of space").describe()));
    assertThat(s.pruning())
        .containsExactly(
            new JobStatus.Pruning(
                "local", List.of(new JobStatus.PruneResult("pool/a", 0, 0, 0, ""))));

    assertThat(SnapJobRuntime.status(state, true, false).state()).isEqualTo("running");
    assertThat(SnapJobRuntime.status(state, false, true).state()).isEqualTo("stopped");
  }
}
