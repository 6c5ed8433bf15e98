package org.zrepl.app.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.zrepl.app.replication.FakeWorld.filter;

import org.junit.jupiter.api.Test;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.port.endpoint.SendStepResponse.Encryption;
import org.zrepl.port.zfs.ZfsCapabilities;

class StatusBoardTest {

  @Test
  void showsEachFilesystemsFinalStateStepAndBytes() {
    FakeWorld w = new FakeWorld(ZfsCapabilities.openZfs21());
    DatasetPath a = w.fs("src/a");
    DatasetPath empty = w.fs("src/empty");
    w.snapshot("s1", a);
    w.snapshot("s2", a);
    StatusBoard board = new StatusBoard();

    new ReplicationEngine(w.clock, w.clock::sleep)
        .run(
            w.sender(filter("src/a", "src/empty")),
            w.receiver(),
            ReplicationPolicy.defaults(),
            board);

    StatusBoard.FilesystemStatus sa = board.snapshot().get(a);
    assertThat(sa.state()).isEqualTo(FilesystemState.DONE);
    assertThat(sa.plan()).isEqualTo("initial replication: full @s2");
    assertThat(sa.step()).isEqualTo(1);
    assertThat(sa.steps()).isEqualTo(1);
    assertThat(sa.snapshots()).isEqualTo("full @s2");
    assertThat(sa.bytes()).isPositive();
    assertThat(sa.lastError()).isEmpty();
    StatusBoard.FilesystemStatus se = board.snapshot().get(empty);
    assertThat(se.state()).isEqualTo(FilesystemState.CONFLICT);
    assertThat(se.lastError().orElseThrow()).contains("sender has no snapshots");
  }

  @Test
  void eachEventChangesOnlyItsPartOfTheStatus() {
    DatasetPath a = DatasetPath.of("p/a");
    StatusBoard board = new StatusBoard();

    board.on(new ProgressEvent.Planned(a, "incremental @s1 -> @s3", 2));
    board.on(new ProgressEvent.StepStarted(a, 1, 2, "@s1 -> @s2", false, 1));
    board.on(new ProgressEvent.BytesSent(a, 1, 2, 700, java.util.OptionalLong.of(1000)));
    board.on(new ProgressEvent.StepFailed(a, 1, 2, "broken pipe", true, 1, true));
    board.on(new ProgressEvent.StateChanged(a, FilesystemState.RETRY_WAIT));

    assertThat(board.snapshot().get(a))
        .isEqualTo(
            new StatusBoard.FilesystemStatus(
                FilesystemState.RETRY_WAIT,
                "incremental @s1 -> @s3",
                1,
                2,
                "@s1 -> @s2",
                700,
                java.util.OptionalLong.of(1000),
                java.util.Optional.of("broken pipe")));

    board.on(new ProgressEvent.StepStarted(a, 1, 2, "@s1 -> @s2", false, 2));
    assertThat(board.snapshot().get(a).encryption())
        .as("not known before the sender answers")
        .isEqualTo(Encryption.UNKNOWN);
    board.on(new ProgressEvent.StreamOpened(a, 1, 2, Encryption.ENCRYPTED));

    StatusBoard.FilesystemStatus retried = board.snapshot().get(a);
    assertThat(retried.state()).isEqualTo(FilesystemState.STEPPING);
    assertThat(retried.encryption()).isEqualTo(Encryption.ENCRYPTED);
    assertThat(retried.bytes()).isZero();
    assertThat(retried.lastError())
        .as("kept until the filesystem finishes")
        .hasValue("broken pipe");

    board.on(
        new ProgressEvent.FilesystemFinished(
            new FilesystemResult.Ok(a, "incremental @s1 -> @s3", 2, 2000)));

    StatusBoard.FilesystemStatus done = board.snapshot().get(a);
    assertThat(done.state()).isEqualTo(FilesystemState.DONE);
    assertThat(done.encryption())
        .as("the last step's, kept when done")
        .isEqualTo(Encryption.ENCRYPTED);
    assertThat(done.lastError()).hasValue("broken pipe");
  }

  @Test
  void aResumedStepAndARetriedOneAreMarked() {
    DatasetPath a = DatasetPath.of("p/a");
    StatusBoard board = new StatusBoard();

    board.on(new ProgressEvent.StepStarted(a, 1, 2, "@s1 -> @s2", true, 1));
    String resumed = board.snapshot().get(a).snapshots();
    board.on(new ProgressEvent.StepStarted(a, 1, 2, "@s1 -> @s2", false, 3));
    String retried = board.snapshot().get(a).snapshots();
    board.on(new ProgressEvent.StepStarted(a, 2, 2, "@s2 -> @s3", false, 1));

    assertThat(resumed).isEqualTo("@s1 -> @s2 (resumed)");
    assertThat(retried).isEqualTo("@s1 -> @s2 (attempt 3)");
    assertThat(board.snapshot().get(a).snapshots()).isEqualTo("@s2 -> @s3");
  }
}
