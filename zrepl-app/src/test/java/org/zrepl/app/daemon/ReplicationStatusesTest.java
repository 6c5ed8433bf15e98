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
import org.zrepl.port.endpoint.SendStepResponse.Encryption;

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

  @Test
  void aConflictIsAPlanErrorAndAnEncryptedStepIsMarkedAsZreplMarksIt() {
    DatasetPath c = DatasetPath.of("pool/c");
    DatasetPath e = DatasetPath.of("pool/e");
    DatasetPath p = DatasetPath.of("pool/p");
    FilesystemStatus stepping =
        new FilesystemStatus(
            FilesystemState.STEPPING,
            "incremental",
            1,
            2,
            "@x -> @y (resumed)",
            10,
            OptionalLong.of(100),
            Optional.empty(),
            Encryption.ENCRYPTED);
    var board =
        Map.of(
            c,
            new FilesystemStatus(
                FilesystemState.CONFLICT,
                "conflict: diverged",
                0,
                0,
                "",
                0,
                OptionalLong.empty(),
                Optional.of("pool/c: conflict: diverged at @x")),
            e,
            stepping,
            p,
            new FilesystemStatus(
                FilesystemState.DONE,
                "incremental",
                2,
                2,
                "@y -> @z",
                10,
                OptionalLong.of(10),
                Optional.empty(),
                Encryption.PLAIN));

    var out = ReplicationStatuses.datasets(board, Map.of());

    assertThat(out.get(0).planError()).isEqualTo("pool/c: conflict: diverged at @x");
    assertThat(out.get(0).lastError())
        .as("unchanged for older readers")
        .isEqualTo(out.get(0).planError());
    assertThat(out.get(0).encrypted()).isEmpty();
    assertThat(out.get(1).planError()).isEmpty();
    assertThat(out.get(1).encrypted()).isEqualTo("yes");
    assertThat(out.get(1).detail()).isEqualTo("step 1/2 @x -> @y (resumed) (encrypted=yes)");
    assertThat(out.get(2).encrypted()).isEqualTo("no");
    assertThat(out.get(2).detail()).endsWith("(encrypted=no)");
  }
}
