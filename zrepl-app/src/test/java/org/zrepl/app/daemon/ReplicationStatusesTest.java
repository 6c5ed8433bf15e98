package org.zrepl.app.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.zrepl.app.replication.FilesystemState;
import org.zrepl.app.replication.StatusBoard.FilesystemStatus;
import org.zrepl.domain.dataset.DatasetPath;

class ReplicationStatusesTest {

  @Test
  void boardBecomesSortedDatasetStatuses() {
    DatasetPath a = DatasetPath.of("pool/a");
    DatasetPath b = DatasetPath.of("pool/b");
    var board =
        Map.of(
            b,
            new FilesystemStatus(
                FilesystemState.RETRY_WAIT,
                "incremental",
                1,
                3,
                "@x -> @y",
                10,
                OptionalLong.of(100),
                Optional.of("connection reset")),
            a,
            new FilesystemStatus(
                FilesystemState.DONE,
                "up to date",
                0,
                0,
                "",
                0,
                OptionalLong.empty(),
                Optional.empty()));

    var out = ReplicationStatuses.datasets(board, Map.of(a, Instant.parse("2026-11-25T09:00:00Z")));

    assertThat(out)
        .containsExactly(
            new JobStatus.DatasetStatus(
                "pool/a", "done", "up to date", 0, -1, "", "2026-11-25T09:00:00Z"),
            new JobStatus.DatasetStatus(
                "pool/b", "retry-wait", "step 1/3 @x -> @y", 10, 100, "connection reset", ""));
  }
}
