package org.zrepl.app.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zrepl.app.config.Job;
import org.zrepl.app.endpoint.ReceiverMapping;
import org.zrepl.app.prune.PruneRun;
import org.zrepl.app.prune.PruneSide;
import org.zrepl.app.prune.PruneTargets;
import org.zrepl.app.snapshot.SnapshotSetup;
import org.zrepl.app.testing.ManualClock;
import org.zrepl.app.testing.ManualScheduler;
import org.zrepl.app.testing.RecordingCommandRunner;
import org.zrepl.app.testing.TestConfigs;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.endpoint.Receiver;
import org.zrepl.port.endpoint.Sender;
import org.zrepl.port.zfs.ZfsCapabilities;
import org.zrepl.zfs.fake.InMemoryZfs;

/**
 * One invocation's order and its cancellation, on the in-memory ZFS: snapshot, replicate, prune the
 * sender, prune the receiver; a reset while pruning skips what is left.
 */
class InvocationRunTest {

  private static final DatasetPath A = DatasetPath.of("src/a");
  private static final DatasetPath A_DST = DatasetPath.of("dst/a");

  /** The snapshot the invocation takes: {@code zrepl_} and the clock in zrepl's dense format. */
  private static final String NEW = "zrepl_20260301_000000_000";

  private static final String YAML =
      """
      jobs:
      - name: mirror
        type: local
        mapping: { "src/a": "dst/a" }
        snapshotting: { type: periodic, prefix: zrepl_, interval: 1h }
        pruning:
          keep_sender: [ { type: last_n, count: 1 } ]
          keep_receiver: [ { type: last_n, count: 1 } ]
      """;

  private final ManualClock clock = new ManualClock(Instant.parse("2026-03-01T00:00:00Z"));
  private final InMemoryZfs zfs = new InMemoryZfs(ZfsCapabilities.openZfs21(), clock, 5);
  private final List<String> events = new ArrayList<>();
  private final AtomicReference<ReplicationJob> job = new AtomicReference<>();
  private final Job.Local config = (Job.Local) TestConfigs.job(YAML, "mirror");

  InvocationRunTest() {
    zfs.createPool("src");
    zfs.createPool("dst");
    zfs.createFilesystem(A, Map.of(), false);
    zfs.write(A, "f", "data".getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The local job with each side's pruning run through {@code senderPrune}/{@code receiverPrune}.
   */
  private ReplicationJob job(Supplier<PruneRun> senderPrune, Supplier<PruneRun> receiverPrune) {
    SnapshotSetup setup = SnapshotSetup.of(config.snapshotting(), clock.getZone());
    Sender sender =
        ReplicationBinding.sender(
            zfs,
            config.mapping().mapping().asFilter(),
            config.name(),
            config.send(),
            ReplicationBinding.protection(config.replication()));
    Receiver receiver =
        ReplicationBinding.receiver(
                zfs,
                ReceiverMapping.of(config.mapping().mapping()),
                config.name(),
                config.recv(),
                Optional.empty())
            .protectedBy(ReplicationBinding.protection(config.replication()));
    BoundReplicationJob bound =
        new BoundReplicationJob(
            config.name(),
            zfs,
            config.mapping().mapping().asFilter(),
            setup.schedule(),
            sender,
            receiver,
            ReplicationBinding.policy(config),
            senderPrune,
            receiverPrune,
            () -> {});
    ReplicationJob j =
        ReplicationJob.assemble(
            bound,
            setup,
            new RecordingCommandRunner(),
            clock,
            new ManualScheduler(clock),
            clock::advance,
            Runnable::run);
    job.set(j);
    return j;
  }

  private Supplier<PruneRun> side(PruneSide side, Runnable before) {
    return () -> {
      before.run();
      return PruneRun.of(PruneTargets.of(config, side, zfs), zfs);
    };
  }

  private List<String> snapshots(DatasetPath fs) {
    return zfs.listVersions(fs).stream()
        .filter(FilesystemVersion::isSnapshot)
        .map(FilesystemVersion::name)
        .toList();
  }

  @Test
  void snapshotThenReplicateThenPruneTheSenderThenTheReceiver() {
    zfs.snapshot(List.of(A), "old");
    ReplicationJob j =
        job(
            side(
                PruneSide.SENDER,
                () -> events.add("prune sender: " + snapshots(A) + " -> " + snapshots(A_DST))),
            side(
                PruneSide.RECEIVER,
                () -> events.add("prune receiver: " + snapshots(A) + " -> " + snapshots(A_DST))));

    ReplicationJobState s = j.runOnce();

    assertThat(s.errors()).isEmpty();
    assertThat(s.lastSnapshots().orElseThrow().taken())
        .as("no zrepl_ snapshot yet: one is due")
        .containsExactly(A);
    assertThat(events)
        .as("the new snapshot was replicated, then the sender pruned to one, then the receiver")
        .containsExactly(
            "prune sender: [old, " + NEW + "] -> [" + NEW + "]",
            "prune receiver: [" + NEW + "] -> [" + NEW + "]");
    assertThat(snapshots(A)).hasSize(1).isEqualTo(snapshots(A_DST));
    assertThat(s.senderPrune()).isPresent();
    assertThat(s.receiverPrune()).isPresent();
    assertThat(s.replicating()).isFalse();
  }

  @Test
  void aResetWhilePruningTheSenderSkipsTheReceiversPruning() {
    job(side(PruneSide.SENDER, () -> {}), side(PruneSide.RECEIVER, () -> {})).runOnce();
    clock.advance(Duration.ofHours(1));
    AtomicReference<Boolean> resetAnswer = new AtomicReference<>();
    ReplicationJob j =
        job(
            side(PruneSide.SENDER, () -> resetAnswer.set(job.get().reset())),
            side(PruneSide.RECEIVER, () -> events.add("prune receiver")));

    ReplicationJobState s = j.runOnce();

    assertThat(resetAnswer.get()).as("an invocation was running to reset").isTrue();
    assertThat(events).as("the receiver's pruning was skipped").isEmpty();
    assertThat(s.senderPrune()).as("the sender's pruning had begun and finished").isPresent();
    assertThat(s.receiverPrune()).isEmpty();
    assertThat(snapshots(A_DST)).as("keep_receiver last_n 1 did not run").hasSize(2);
    assertThat(s.errors())
        .containsExactly(
            "invocation aborted, pruning skipped: reset by the operator (zrepl signal reset)");
    assertThat(j.reset()).as("nothing left to reset").isFalse();
  }

  @Test
  @Timeout(30)
  void anExceptionEscapingTheInvocationEndsItsTurnAndTheReplicatingState() {
    RuntimeException bug = new IllegalStateException("a bug in the pruner");
    ReplicationJob j =
        job(
            () -> {
              throw bug;
            },
            side(PruneSide.RECEIVER, () -> {}));

    assertThatThrownBy(j::runOnce).isSameAs(bug);

    assertThat(j.state().replicating()).isFalse();
    assertThat(j.reset()).as("no invocation is current").isFalse();
    assertThatThrownBy(j::runOnce)
        .as("the turn was given back: a second invocation runs (and meets the bug again)")
        .isSameAs(bug);
  }
}
