package org.zrepl.app.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.zrepl.app.config.Job;
import org.zrepl.app.endpoint.TargetCursors;
import org.zrepl.app.replication.FilesystemResult;
import org.zrepl.app.testing.ManualClock;
import org.zrepl.app.testing.ManualScheduler;
import org.zrepl.app.testing.RecordingCommandRunner;
import org.zrepl.app.testing.TestConfigs;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.zfs.ZfsCapabilities;
import org.zrepl.zfs.fake.InMemoryZfs;

/**
 * One source filesystem, two targets (two {@code local} jobs to two pools): target B stays away for
 * several rounds while A replicates and A's job prunes the sender; when B comes back it continues
 * incrementally from its own cursor, on zfs-fuse (the base snapshot is kept for it) and on OpenZFS
 * (the base is pruned, the cursor bookmark remains).
 */
class FanOutTest {

  private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
  private static final DatasetPath SRC = DatasetPath.of("src/data");
  private static final DatasetPath ON_A = DatasetPath.of("pa/backup/data");
  private static final DatasetPath ON_B = DatasetPath.of("pb/backup/data");

  private final ManualClock clock = new ManualClock(T0);
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final List<Runnable> notifications = new ArrayList<>();
  private InMemoryZfs zfs;

  private static String yaml(String targets) {
    String job =
        """
        - name: %s
          type: local
          mapping: { "src/data": "%s/backup/data" }
          snapshotting: { type: manual }
          pruning:
            keep_sender:
            - type: not_replicated
              targets: %s
            - type: last_n
              count: 2
            keep_receiver:
            - type: regex
              regex: ".*"
        """;
    return "jobs:\n" + job.formatted("to_a", "pa", targets) + job.formatted("to_b", "pb", targets);
  }

  private ReplicationJob job(String name, String targets) {
    Job.Local config = (Job.Local) TestConfigs.job(yaml(targets), name);
    return LocalJob.of(
        config,
        zfs,
        new RecordingCommandRunner(),
        clock,
        scheduler,
        clock::advance,
        notifications::add);
  }

  private void setUp(ZfsCapabilities caps) {
    zfs = new InMemoryZfs(caps, clock, 5);
    for (String pool : List.of("src", "pa", "pb")) {
      zfs.createPool(pool);
    }
    zfs.createFilesystem(SRC, Map.of(), false);
    zfs.createFilesystem(DatasetPath.of("pa/backup"), Map.of(), false);
    zfs.createFilesystem(DatasetPath.of("pb/backup"), Map.of(), false);
  }

  private void snapshot(int n) {
    zfs.write(SRC, "f" + n, ("round " + n).getBytes(StandardCharsets.UTF_8));
    zfs.snapshot(List.of(SRC), "s" + n);
  }

  private List<String> snapshots(DatasetPath fs) {
    return zfs.listVersions(fs).stream()
        .filter(FilesystemVersion::isSnapshot)
        .map(FilesystemVersion::name)
        .toList();
  }

  private Map<String, Long> guids(DatasetPath fs) {
    return FanOutChecks.guids(zfs, fs);
  }

  private static FilesystemResult.Ok ok(ReplicationJobState s) {
    return FanOutChecks.ok(s, SRC);
  }

  /** Rounds 2..5 with B away; returns A's jobs. */
  private ReplicationJob bAwayWhileAReplicates(String targets) {
    ReplicationJob a = job("to_a", targets);
    ReplicationJob b = job("to_b", targets);
    snapshot(1);
    ok(a.runOnce());
    ok(b.runOnce());
    for (int n = 2; n <= 5; n++) {
      snapshot(n);
      ok(a.runOnce());
    }
    return a;
  }

  private void bReturnsAndContinuesIncrementally(String targets) {
    long s1OnB = guids(ON_B).get("s1");
    ReplicationJobState s = job("to_b", targets).runOnce();
    FilesystemResult.Ok r = ok(s);
    assertThat(r.plan()).contains("incremental").doesNotContain("full");
    assertThat(guids(ON_B).get("s1")).as("no full resend, no rollback").isEqualTo(s1OnB);
    assertThat(guids(ON_B).get("s5")).isEqualTo(guids(SRC).get("s5"));
    assertThat(guids(ON_A).get("s5")).isEqualTo(guids(SRC).get("s5"));
    assertThat(zfs.read(ON_B, "f5")).isPresent();
  }

  @Test
  void onZfsFuseAsPruningKeepsTheBaseOfTheTargetThatIsAway() {
    setUp(ZfsCapabilities.zfsFuse());

    bAwayWhileAReplicates("this_job");

    assertThat(snapshots(SRC))
        .as("s1 is B's base (recorded in %s); last_n 2 keeps s4, s5", TargetCursors.PROPERTY)
        .containsExactly("s1", "s4", "s5");
    assertThat(TargetCursors.read(zfs, SRC))
        .containsEntry("to_b", guids(SRC).get("s1"))
        .containsEntry("to_a", guids(SRC).get("s5"));
    bReturnsAndContinuesIncrementally("this_job");
  }

  @Test
  void onOpenZfsTheTargetThatIsAwayContinuesFromItsCursorBookmark() {
    setUp(ZfsCapabilities.openZfs21());

    bAwayWhileAReplicates("this_job");

    assertThat(snapshots(SRC)).as("B's base s1 is pruned").containsExactly("s4", "s5");
    assertThat(zfs.listVersions(SRC))
        .filteredOn(FilesystemVersion::isBookmark)
        .extracting(FilesystemVersion::name)
        .contains(String.format("zrepl_CURSOR_G_%016x_J_to_b", guids(ON_B).get("s1")));
    bReturnsAndContinuesIncrementally("this_job");
  }

  @Test
  void notReplicatedToAllTargetsKeepsWhatTheTargetThatIsAwayHasNotGot() {
    setUp(ZfsCapabilities.openZfs21());

    ReplicationJob a = bAwayWhileAReplicates("all");

    assertThat(snapshots(SRC))
        .as("B has only s1: s2..s5 are not replicated to every target")
        .containsExactly("s1", "s2", "s3", "s4", "s5");
    bReturnsAndContinuesIncrementally("all");
    assertThat(guids(ON_B).keySet()).contains("s2", "s3", "s4", "s5");
    ok(a.runOnce());
    assertThat(snapshots(SRC)).as("now both have everything").containsExactly("s4", "s5");
  }

  @Test
  void notReplicatedToAllTargetsOnZfsFuse() {
    setUp(ZfsCapabilities.zfsFuse());

    ReplicationJob a = bAwayWhileAReplicates("all");

    assertThat(snapshots(SRC)).containsExactly("s1", "s2", "s3", "s4", "s5");
    bReturnsAndContinuesIncrementally("all");
    ok(a.runOnce());
    assertThat(snapshots(SRC)).containsExactly("s4", "s5");
    assertThat(TargetCursors.read(zfs, SRC).keySet()).isEqualTo(Set.of("to_a", "to_b"));
  }
}
