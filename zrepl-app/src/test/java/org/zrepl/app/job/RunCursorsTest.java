package org.zrepl.app.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.zrepl.app.config.Job;
import org.zrepl.app.endpoint.TargetCursors;
import org.zrepl.app.testing.ManualClock;
import org.zrepl.app.testing.ManualScheduler;
import org.zrepl.app.testing.RecordingCommandRunner;
import org.zrepl.app.testing.TestConfigs;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.port.zfs.ZfsCapabilities;
import org.zrepl.port.zfs.ZfsException;
import org.zrepl.zfs.fake.InMemoryZfs;

/**
 * On a ZFS without bookmarks a local job records the targets' cursors ({@code zrepl:cursors}) when
 * its replication run ends: one {@code zfs set} for a run's filesystems instead of one per step,
 * before sender pruning reads them; a cursor that cannot be written is an error of the invocation.
 */
class RunCursorsTest {

  private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
  private static final List<DatasetPath> TREE =
      List.of(
          DatasetPath.of("src/t"),
          DatasetPath.of("src/t/a"),
          DatasetPath.of("src/t/b"),
          DatasetPath.of("src/t/b/c"));

  private final ManualClock clock = new ManualClock(T0);
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final List<Runnable> notifications = new ArrayList<>();
  private final InMemoryZfs zfs = new InMemoryZfs(ZfsCapabilities.zfsFuse(), clock, 5);

  RunCursorsTest() {
    zfs.createPool("src");
    zfs.createPool("dst");
    TREE.forEach(fs -> zfs.createFilesystem(fs, Map.of(), false));
  }

  private ReplicationJob job() {
    Job.Local config =
        (Job.Local)
            TestConfigs.job(
                """
                jobs:
                - name: j
                  type: local
                  mapping: { "src/t<": "dst/t" }
                  snapshotting: { type: manual }
                  pruning:
                    keep_sender:
                    - type: last_n
                      count: 1
                    keep_receiver:
                    - type: regex
                      regex: ".*"
                """,
                "j");
    return LocalJob.of(
        config,
        zfs,
        new RecordingCommandRunner(),
        clock,
        scheduler,
        clock::advance,
        notifications::add);
  }

  private String cursors(DatasetPath fs) {
    return zfs.getProperties(fs.toString(), Set.of(TargetCursors.PROPERTY))
        .get(TargetCursors.PROPERTY)
        .value();
  }

  @Test
  void aRunRecordsEveryFilesystemsCursorInOneZfsSetBeforeSenderPruning() {
    ReplicationJob job = job();
    zfs.snapshot(TREE, "s1");
    int sets = zfs.processesStarted("set");
    assertThat(job.runOnce().errors()).isEmpty();
    assertThat(zfs.processesStarted("set") - sets).as("one zfs set for 4 filesystems").isEqualTo(1);
    TREE.forEach(fs -> assertThat(cursors(fs)).as("on %s", fs).isEqualTo("j=@s1"));

    zfs.snapshot(TREE, "s2");
    sets = zfs.processesStarted("set");
    assertThat(job.runOnce().errors()).isEmpty();
    assertThat(zfs.processesStarted("set") - sets).isEqualTo(1);
    for (DatasetPath fs : TREE) {
      assertThat(cursors(fs)).isEqualTo("j=@s2");
      // keep_sender last_n 1 pruned s1: pruning ran after the cursors moved to s2
      assertThat(zfs.listVersions(fs).stream().map(v -> v.name()).toList()).containsExactly("s2");
      assertThat(TargetCursors.read(zfs, fs)).containsOnlyKeys("j");
    }
  }

  @Test
  void aCursorThatCannotBeWrittenIsAnErrorOfTheInvocationNamingTheFilesystem() {
    ReplicationJob job = job();
    zfs.snapshot(TREE, "s1");
    ZfsException refused =
        new ZfsException(List.of("zfs", "set"), 1, "cannot set property: permission denied");
    zfs.failNext("set", refused); // the run's one zfs set
    zfs.failNext("set", refused); // then src/t alone, the first asked one by one

    List<String> errors = job.runOnce().errors();

    assertThat(errors)
        .anySatisfy(
            e ->
                assertThat(e)
                    .contains("recording j's cursors (zrepl:cursors) failed on 1 of 4")
                    .contains("src/t: ")
                    .contains("permission denied"));
    assertThat(cursors(DatasetPath.of("src/t/a"))).isEqualTo("j=@s1");
    assertThat(zfs.getProperties("src/t", Set.of(TargetCursors.PROPERTY))).isEmpty();
    // the snapshot is still everyone's base: nothing was replicated since, pruning kept it
    assertThat(zfs.listVersions(DatasetPath.of("src/t"))).hasSize(1);
  }
}
