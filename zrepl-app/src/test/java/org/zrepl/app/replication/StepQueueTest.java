package org.zrepl.app.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.zrepl.app.replication.FakeWorld.filter;
import static org.zrepl.app.replication.FakeWorld.target;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.zrepl.domain.dataset.DatasetFilter;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.port.zfs.ZfsCapabilities;
import org.zrepl.port.zfs.ZfsException;

/** The order of steps: oldest next snapshot first, parents' initial replication first. */
class StepQueueTest {

  private static List<String> stepOrder(FakeWorld w) {
    return w.events.of(ProgressEvent.StepStarted.class).stream()
        .map(e -> e.filesystem() + " " + e.snapshots())
        .toList();
  }

  @Test
  void servesTheFilesystemWhoseNextSnapshotIsOldest() {
    FakeWorld w = new FakeWorld(ZfsCapabilities.openZfs21());
    DatasetPath x = w.fs("src/x");
    DatasetPath y = w.fs("src/y");
    w.snapshot("s1", x, y);
    w.run(filter("src/x", "src/y"));
    w.snapshot("y2", y); // y's next snapshot is older than x's
    w.snapshot("x2", x);
    w.snapshot("y3", y);

    w.run(filter("src/x", "src/y"), ReplicationPolicy.defaults().withBatchIntermediates(false));

    assertThat(stepOrder(w))
        .containsSubsequence("src/y @s1 -> @y2", "src/x @s1 -> @x2", "src/y @y2 -> @y3");
    assertThat(stepOrder(w).subList(2, 5))
        .containsExactly("src/y @s1 -> @y2", "src/x @s1 -> @x2", "src/y @y2 -> @y3");
  }

  @Test
  void parentsInitialReplicationComesBeforeTheChildsEvenIfTheChildsSnapshotIsOlder() {
    FakeWorld w = new FakeWorld(ZfsCapabilities.openZfs21());
    DatasetPath child = w.fs("src/p/c");
    DatasetPath parent = DatasetPath.of("src/p");
    w.snapshot("old", child);
    w.snapshot("new", parent);

    ReplicationReport report = w.run(filter("src/p<"));

    assertThat(report.isSuccess()).as(report.describe()).isTrue();
    assertThat(stepOrder(w)).containsExactly("src/p full @new", "src/p/c full @old");
    assertThat(w.events.of(ProgressEvent.StateChanged.class))
        .contains(new ProgressEvent.StateChanged(child, FilesystemState.WAITING_FOR_PARENT));
    assertThat(w.snapshotNames(target(parent))).containsExactly("new");
  }

  @Test
  void childrenOfAParentWhoseInitialReplicationFailedAreNotAttempted() {
    FakeWorld w = new FakeWorld(ZfsCapabilities.openZfs21());
    DatasetPath parent = w.fs("src/p");
    DatasetPath child = w.fs("src/p/c");
    DatasetPath grandchild = w.fs("src/p/c/g");
    w.snapshot("s1", parent, child, grandchild);
    w.zfs.failNext("send", new ZfsException(List.of("zfs", "send"), 1, "boom"));

    ReplicationReport report =
        w.run(filter("src/p<"), ReplicationPolicy.defaults().withMaxAttempts(1));

    assertThat(report.result(parent).orElseThrow().describe()).contains("boom");
    assertThat(report.result(child).orElseThrow().describe())
        .contains("not attempted: parent src/p failed its initial replication", "boom");
    assertThat(report.result(grandchild).orElseThrow().describe()).contains("not attempted");
    assertThat(report.needingAttention()).hasSize(3);
  }

  @Test
  void concurrentStepsReplicateEverything() {
    FakeWorld w = new FakeWorld(ZfsCapabilities.openZfs21());
    DatasetPath[] all = new DatasetPath[12];
    for (int i = 0; i < all.length; i++) {
      all[i] = w.fs(i % 3 == 0 ? "src/d" + i : "src/d" + (i - i % 3) + "/e" + i);
    }
    for (DatasetPath fs : all) {
      w.snapshot("s1", fs);
      w.snapshot("s2", fs);
    }

    ReplicationReport report =
        w.run(
            DatasetFilter.of(Map.of("src<", "ok", "src", "!")),
            ReplicationPolicy.defaults().withConcurrencySteps(4).withBatchIntermediates(false));

    assertThat(report.isSuccess()).as(report.describe()).isTrue();
    for (DatasetPath fs : all) {
      assertThat(w.snapshotNames(target(fs))).containsExactly("s2");
    }
    w.assertOnlyLastReceivedHolds(targets(all));
  }

  private static DatasetPath[] targets(DatasetPath[] fs) {
    DatasetPath[] out = new DatasetPath[fs.length];
    for (int i = 0; i < fs.length; i++) {
      out[i] = target(fs[i]);
    }
    return out;
  }
}
