package org.zrepl.app.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.zrepl.app.config.Job;
import org.zrepl.app.endpoint.TargetCursors;
import org.zrepl.app.replication.FilesystemResult;
import org.zrepl.app.testing.ManualClock;
import org.zrepl.app.testing.ManualScheduler;
import org.zrepl.app.testing.TestConfigs;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.port.zfs.Zfs;
import org.zrepl.zfs.ZfsFixture;
import org.zrepl.zfs.ZfsFusePoolFixture;
import org.zrepl.zfs.cli.CliZfs;
import org.zrepl.zfs.cli.LocalProcessLauncher;
import org.zrepl.zfs.process.LocalCommandRunner;

/**
 * Fan-out on zfs-fuse (no bookmarks, no holds): one source filesystem, two {@code local} jobs to
 * two targets. B is away for four rounds while A replicates and prunes the sender ({@code
 * not_replicated} + {@code last_n 2}); B's base survives (recorded in {@code zrepl:cursors}) and B
 * continues incrementally when it returns, guids equal on both targets.
 */
class FanOutIT {

  @RegisterExtension static final ZfsFusePoolFixture POOL = new ZfsFusePoolFixture();

  private final Zfs zfs = new CliZfs(new LocalProcessLauncher());
  private final ManualClock clock =
      new ManualClock(Clock.systemUTC().instant().truncatedTo(ChronoUnit.SECONDS));

  private ZfsFixture fx;
  private DatasetPath src;
  private DatasetPath rootA;
  private DatasetPath rootB;

  @BeforeEach
  void roots() {
    fx = POOL.fixture(zfs);
    src = fx.newRoot();
    rootA = fx.newReceiveRoot();
    rootB = fx.newReceiveRoot();
    zfs.setProperty(rootA, "atime", "off");
    zfs.setProperty(rootB, "atime", "off");
  }

  private ReplicationJob job(String name, DatasetPath root, String targets) {
    String yaml =
        """
        jobs:
        - name: %1$s
          type: local
          mapping: { "%2$s": "%3$s/data" }
          snapshotting: { type: manual }
          pruning:
            keep_sender:
            - { type: not_replicated, targets: %4$s }
            - { type: last_n, count: 2 }
            keep_receiver: [ { type: regex, regex: ".*" } ]
        """
            .formatted(name, src, root, targets);
    return LocalJob.of(
        (Job.Local) TestConfigs.job(yaml, name),
        zfs,
        new LocalCommandRunner(),
        clock,
        new ManualScheduler(clock),
        clock::advance,
        Runnable::run);
  }

  private void snapshot(int n) {
    fx.write(src, "f" + n, ("round " + n).getBytes(StandardCharsets.UTF_8));
    zfs.snapshot(List.of(src), "s" + n);
  }

  private Map<String, Long> guids(DatasetPath fs) {
    return FanOutChecks.guids(zfs, fs);
  }

  private FilesystemResult.Ok ok(ReplicationJobState s) {
    return FanOutChecks.ok(s, src);
  }

  private void fanOut(String targets) {
    ReplicationJob a = job("fan_a", rootA, targets);
    ReplicationJob b = job("fan_b", rootB, targets);
    snapshot(1);
    ok(a.runOnce());
    ok(b.runOnce());
    for (int n = 2; n <= 5; n++) {
      snapshot(n);
      ok(a.runOnce());
    }
    if (targets.equals("all")) {
      assertThat(guids(src).keySet()).containsExactly("s1", "s2", "s3", "s4", "s5");
    } else {
      assertThat(guids(src).keySet()).as("B's base s1 is kept").containsExactly("s1", "s4", "s5");
    }
    assertThat(TargetCursors.read(zfs, src)).containsEntry("fan_b", guids(src).get("s1"));
    long s1OnB = guids(rootB.child("data")).get("s1");

    FilesystemResult.Ok back = ok(b.runOnce());

    assertThat(back.plan()).contains("incremental").doesNotContain("full");
    assertThat(guids(rootB.child("data")).get("s1")).as("no full resend").isEqualTo(s1OnB);
    assertThat(guids(rootB.child("data")).get("s5")).isEqualTo(guids(src).get("s5"));
    assertThat(guids(rootA.child("data")).get("s5")).isEqualTo(guids(src).get("s5"));
    assertThat(new String(fx.read(rootB.child("data"), "f5"), StandardCharsets.UTF_8))
        .isEqualTo("round 5");
    ok(a.runOnce());
    assertThat(guids(src).keySet()).containsExactly("s4", "s5");
  }

  @Test
  void theTargetThatWasAwayContinuesFromItsKeptBase() {
    fanOut("this_job");
  }

  @Test
  void notReplicatedToAllTargetsKeepsEverythingTheTargetThatIsAwayLacks() {
    fanOut("all");
  }
}
