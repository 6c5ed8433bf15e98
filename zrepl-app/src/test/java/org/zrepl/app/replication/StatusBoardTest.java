package org.zrepl.app.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.zrepl.app.replication.FakeWorld.filter;

import org.junit.jupiter.api.Test;
import org.zrepl.domain.dataset.DatasetPath;
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
}
