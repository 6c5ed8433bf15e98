package org.zrepl.app.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.zrepl.app.config.Job;
import org.zrepl.app.endpoint.EndpointNames;
import org.zrepl.app.job.FanOutChecks;
import org.zrepl.app.job.LocalJob;
import org.zrepl.app.job.ReplicationJob;
import org.zrepl.app.job.ReplicationJobState;
import org.zrepl.app.testing.ManualClock;
import org.zrepl.app.testing.ManualScheduler;
import org.zrepl.app.testing.RecordingCommandRunner;
import org.zrepl.app.testing.TestConfigs;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.zfs.cli.CliZfs;

/**
 * Fan-out on OpenZFS: one source filesystem, two {@code local} jobs to two targets. While B is
 * away, A's sender pruning ({@code not_replicated} + {@code last_n 2}) destroys B's base snapshot;
 * B continues incrementally from its own cursor bookmark ({@code zrepl_CURSOR_G_<guid>_J_fan_b}),
 * no full resend, guids equal on both targets.
 */
class OpenZfsFanOutIT {

  @RegisterExtension static final OpenZfsGuest GUEST = new OpenZfsGuest();

  private static int next;
  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private CliZfs zfs;
  private DatasetPath src;
  private DatasetPath rootA;
  private DatasetPath rootB;

  @BeforeEach
  void roots() {
    zfs = new CliZfs(GUEST.launcher());
    next++;
    src = DatasetPath.of(GUEST.source() + "/fan" + next);
    rootA = DatasetPath.of(GUEST.sink() + "/fa" + next);
    rootB = DatasetPath.of(GUEST.sink() + "/fb" + next);
    GUEST.run("zfs", "create", src.toString());
    GUEST.run("zfs", "create", "-o", "atime=off", rootA.toString());
    GUEST.run("zfs", "create", "-o", "atime=off", rootB.toString());
  }

  private ReplicationJob job(String name, DatasetPath root) {
    String yaml =
        """
        jobs:
        - name: %1$s
          type: local
          mapping: { "%2$s": "%3$s/data" }
          snapshotting: { type: manual }
          pruning:
            keep_sender:
            - { type: not_replicated }
            - { type: last_n, count: 2 }
            keep_receiver: [ { type: regex, regex: ".*" } ]
        """
            .formatted(name, src, root);
    return LocalJob.of(
        (Job.Local) TestConfigs.job(yaml, name),
        zfs,
        new RecordingCommandRunner(),
        clock,
        new ManualScheduler(clock),
        clock::advance,
        Runnable::run);
  }

  private void snapshot(int n) {
    String mnt = GUEST.run("zfs", "get", "-H", "-o", "value", "mountpoint", src.toString()).strip();
    GUEST.sh("echo round" + n + " > " + mnt + "/f" + n + " && sync");
    zfs.snapshot(List.of(src), "s" + n);
  }

  private Map<String, Long> guids(DatasetPath fs) {
    return FanOutChecks.guids(zfs, fs);
  }

  private FilesystemResult.Ok ok(ReplicationJobState s) {
    return FanOutChecks.ok(s, src);
  }

  @Test
  void theTargetThatWasAwayContinuesFromItsCursorBookmarkAfterItsBaseWasPruned() {
    ReplicationJob a = job("fan_a", rootA);
    ReplicationJob b = job("fan_b", rootB);
    snapshot(1);
    ok(a.runOnce());
    ok(b.runOnce());
    long s1 = guids(src).get("s1");
    for (int n = 2; n <= 5; n++) {
      snapshot(n);
      ok(a.runOnce());
    }
    assertThat(guids(src).keySet()).as("B's base s1 is pruned").containsExactly("s4", "s5");
    assertThat(zfs.listVersions(src))
        .filteredOn(FilesystemVersion::isBookmark)
        .extracting(FilesystemVersion::name)
        .contains(EndpointNames.forJob("fan_b").cursorBookmark(s1));

    FilesystemResult.Ok back = ok(b.runOnce());

    assertThat(back.plan()).contains("incremental").doesNotContain("full");
    DatasetPath onB = rootB.child("data");
    assertThat(guids(onB).get("s1")).as("no full resend").isEqualTo(s1);
    assertThat(guids(onB).get("s5")).isEqualTo(guids(src).get("s5"));
    assertThat(guids(rootA.child("data")).get("s5")).isEqualTo(guids(src).get("s5"));
    assertThat(zfs.listVersions(src))
        .filteredOn(FilesystemVersion::isBookmark)
        .extracting(FilesystemVersion::name)
        .contains(EndpointNames.forJob("fan_b").cursorBookmark(guids(src).get("s5")))
        .doesNotContain(EndpointNames.forJob("fan_b").cursorBookmark(s1));
  }
}
