package org.zrepl.app.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.zrepl.app.config.Job;
import org.zrepl.app.replication.FilesystemResult;
import org.zrepl.app.testing.ManualClock;
import org.zrepl.app.testing.ManualScheduler;
import org.zrepl.app.testing.RecordingCommandRunner;
import org.zrepl.app.testing.TestConfigs;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.zfs.ZfsCapabilities;
import org.zrepl.zfs.fake.InMemoryZfs;

class LocalJobTest {

  private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
  private static final DatasetPath A = DatasetPath.of("src/a");
  private static final DatasetPath C = DatasetPath.of("src/a/b/c");
  private static final DatasetPath SKIPPED = DatasetPath.of("src/a/b");
  private static final DatasetPath A_DST = DatasetPath.of("dst/backup/a");
  private static final DatasetPath B_DST = DatasetPath.of("dst/backup/a/b");
  private static final DatasetPath C_DST = DatasetPath.of("dst/backup/a/b/c");

  private static String yaml(String snapshotting, String keepSender, String keepReceiver) {
    return """
        jobs:
        - name: mirror
          type: local
          mapping: { "src/a<": "dst/backup/a", "src/a/b": "!" }
          recv: { placeholder: { encryption: inherit } }
          snapshotting:
        %s
          pruning:
            keep_sender:
        %s
            keep_receiver:
        %s
        """
        .formatted(
            snapshotting.indent(4).stripTrailing(),
            keepSender.indent(4).stripTrailing(),
            keepReceiver.indent(4).stripTrailing());
  }

  private static final String HOURLY = "type: periodic\nprefix: zrepl_\ninterval: 1h";
  private static final String KEEP_ALL = "- type: regex\n  regex: \".*\"";

  private final ManualClock clock = new ManualClock(T0);
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private InMemoryZfs zfs;
  private final List<Runnable> notifications = new ArrayList<>();

  LocalJobTest() {
    setUp(ZfsCapabilities.openZfs21());
  }

  private void setUp(ZfsCapabilities caps) {
    zfs = new InMemoryZfs(caps, clock, 5);
    zfs.createPool("src");
    zfs.createPool("dst");
    for (DatasetPath fs : List.of(A, SKIPPED, C)) {
      zfs.createFilesystem(fs, Map.of(), false);
      zfs.write(fs, "f", fs.toString().getBytes(StandardCharsets.UTF_8));
    }
  }

  private ReplicationJob job(String snapshotting, String keepSender, String keepReceiver) {
    Job.Local config =
        (Job.Local) TestConfigs.job(yaml(snapshotting, keepSender, keepReceiver), "mirror");
    return LocalJob.of(
        config,
        zfs,
        new RecordingCommandRunner(),
        clock,
        scheduler,
        clock::advance,
        notifications::add);
  }

  private ReplicationJob job() {
    return job(HOURLY, KEEP_ALL, KEEP_ALL);
  }

  private List<String> names(DatasetPath fs) {
    return zfs.listVersions(fs).stream()
        .filter(FilesystemVersion::isSnapshot)
        .map(FilesystemVersion::name)
        .toList();
  }

  private String placeholder(DatasetPath fs) {
    return zfs.getProperties(fs.toString(), Set.of("zrepl:placeholder"))
        .get("zrepl:placeholder")
        .value();
  }

  @Test
  void filesystemErrorsIsMinusOneWhenPlanningFailsAndZeroAfterASuccessfulRetry() {
    ReplicationJob job = job("type: manual", KEEP_ALL, KEEP_ALL);
    List<Invocation> invocations = new ArrayList<>();
    job.onInvocation(invocations::add);
    zfs.failNext(
        "list",
        new org.zrepl.port.zfs.ZfsException(
            List.of("zfs", "list"), 1, "cannot open 'src': pool I/O is currently suspended"));
    job.runOnce();
    zfs.snapshot(List.of(A, C), "s1");
    job.runOnce();

    assertThat(invocations).extracting(Invocation::filesystemErrors).containsExactly(-1L, 0L);
    assertThat(invocations.get(0).replication().runError()).isPresent();
  }

  @Test
  void eachRunIsAnAttemptWithItsStateTimesAndErrorOldestFirst() {
    ReplicationJob job = job("type: manual", KEEP_ALL, KEEP_ALL);
    assertThat(job.attempts()).isEmpty();
    zfs.failNext(
        "list",
        new org.zrepl.port.zfs.ZfsException(
            List.of("zfs", "list"), 1, "cannot open 'src': pool I/O is currently suspended"));
    job.runOnce();
    zfs.snapshot(List.of(A, C), "s1");
    clock.advance(Duration.ofMinutes(1));
    job.runOnce();
    zfs.snapshot(List.of(A_DST), "local_change");
    zfs.snapshot(List.of(A, C), "s2");
    clock.advance(Duration.ofMinutes(1));
    job.runOnce();

    List<ReplicationAttempt> a = job.attempts();
    assertThat(a).extracting(ReplicationAttempt::number).containsExactly(1, 2, 3);
    assertThat(a)
        .extracting(ReplicationAttempt::state)
        .containsExactly("planning-error", "done", "filesystem-error");
    assertThat(a.get(0).error()).contains("pool I/O is currently suspended");
    assertThat(a.get(0).startedAt()).isEqualTo(T0);
    assertThat(a.get(0).finishedAt()).isPresent();
    assertThat(a.get(1).error()).isEmpty();
    assertThat(a.get(1).startedAt()).isEqualTo(T0.plus(Duration.ofMinutes(1)));
    assertThat(a.get(1).failed()).isZero();
    assertThat(a.get(2).error()).startsWith("1 of ").contains("src/a: conflict", "local_change");
    assertThat(a.get(2).failed()).isEqualTo(1);
    assertThat(a.get(2).filesystems()).isEqualTo(a.get(1).filesystems()).isPositive();
  }

  @Test
  void firstRunSnapshotsReplicatesTheTreeAndFillsTheGapWithAPlaceholder() {
    ReplicationJobState s = job().runOnce();

    assertThat(s.errors()).isEmpty();
    assertThat(s.succeeded()).isTrue();
    assertThat(s.lastSnapshots().orElseThrow().taken()).containsExactly(A, C);
    assertThat(names(SKIPPED)).as("omitted by the mapping").isEmpty();
    assertThat(names(A_DST)).isEqualTo(names(A)).hasSize(1);
    assertThat(names(C_DST)).isEqualTo(names(C)).hasSize(1);
    assertThat(placeholder(B_DST)).isEqualTo("on");
    assertThat(new String(zfs.read(C_DST, "f").orElseThrow(), StandardCharsets.UTF_8))
        .isEqualTo("src/a/b/c");
    assertThat(s.lastReplication().orElseThrow().results())
        .allSatisfy(r -> assertThat(r).isInstanceOf(FilesystemResult.Ok.class))
        .extracting(FilesystemResult::filesystem)
        .containsExactly(A, C);
    assertThat(s.senderPrune()).isPresent();
    assertThat(s.receiverPrune()).isPresent();
  }

  @Test
  void aSecondRunWithinTheIntervalTakesNoSnapshotAndHasNothingToSend() {
    ReplicationJob job = job();
    job.runOnce();
    clock.advance(Duration.ofMinutes(30));

    ReplicationJobState s = job.runOnce();

    assertThat(s.succeeded()).isTrue();
    assertThat(names(A)).hasSize(1);
    assertThat(s.lastReplication().orElseThrow().results())
        .allSatisfy(r -> assertThat(((FilesystemResult.Ok) r).steps()).isZero());
  }

  @Test
  void aDueSnapshotIsReplicatedIncrementally() {
    ReplicationJob job = job();
    job.runOnce();
    clock.advance(Duration.ofHours(1));
    zfs.write(C, "g", "new".getBytes(StandardCharsets.UTF_8));

    ReplicationJobState s = job.runOnce();

    assertThat(s.succeeded()).isTrue();
    assertThat(names(C)).hasSize(2);
    assertThat(names(C_DST)).isEqualTo(names(C));
    FilesystemResult.Ok c = (FilesystemResult.Ok) s.lastReplication().orElseThrow().result(C).get();
    assertThat(c.steps()).isEqualTo(1);
    assertThat(c.plan()).contains("incremental");
    assertThat(zfs.read(C_DST, "g")).isPresent();
  }

  @Test
  void forcedSnapshotRunsEvenWhenNoneIsDue() {
    ReplicationJob job = job();
    job.runOnce();
    clock.advance(Duration.ofSeconds(2));

    ReplicationJobState s = job.runOnce(true);

    assertThat(names(A)).hasSize(2);
    assertThat(names(A_DST)).isEqualTo(names(A));
    assertThat(s.succeeded()).isTrue();
  }

  @Test
  void manualSnapshottingTakesNoSnapshotAndCannotBeForced() {
    zfs.snapshot(List.of(A, C), "mine");
    ReplicationJob job = job("type: manual", KEEP_ALL, KEEP_ALL);

    ReplicationJobState s = job.runOnce();

    assertThat(s.lastSnapshots()).isEmpty();
    assertThat(names(C_DST)).containsExactly("mine");
    assertThatThrownBy(() -> job.runOnce(true))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'mirror' has manual snapshotting");
  }

  @Test
  void aDivergedReceiverIsReportedAndNothingIsDestroyed() {
    ReplicationJob job = job();
    job.runOnce();
    zfs.snapshot(List.of(A_DST), "local_change");
    clock.advance(Duration.ofHours(1));

    ReplicationJobState s = job.runOnce();

    assertThat(s.succeeded()).isFalse();
    assertThat(s.failedDatasets()).containsExactly(A);
    assertThat(s.errors())
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .contains("src/a: conflict", "diverged", "local_change");
    assertThat(names(A_DST)).contains("local_change").hasSize(2);
    assertThat(names(C_DST)).hasSize(2).isEqualTo(names(C));
  }

  @Test
  void pruningKeepsTheIncrementalBaseOnTheSenderAndAppliesKeepReceiver() {
    ReplicationJob job =
        job(
            HOURLY,
            "- type: last_n\n  count: 1\n  regex: \"^nomatch\"",
            "- type: last_n\n  count: 2");
    for (int i = 0; i < 4; i++) {
      job.runOnce();
      clock.advance(Duration.ofHours(1));
    }

    assertThat(names(A)).as("every snapshot is rejected; the incremental base stays").hasSize(1);
    assertThat(names(A_DST)).hasSize(2).endsWith(names(A).get(0));
    assertThat(job.state().senderPrune().orElseThrow().filesystems())
        .extracting(f -> f.fs())
        .containsExactly(A, C);
  }

  @Test
  void withoutBookmarksNotReplicatedUsesTheReceiversNewestSnapshotAsTheCursor() {
    setUp(ZfsCapabilities.zfsFuse());
    ReplicationJob job =
        job(HOURLY, "- type: not_replicated\n- type: last_n\n  count: 1", KEEP_ALL);
    for (int i = 0; i < 3; i++) {
      job.runOnce();
      clock.advance(Duration.ofHours(1));
    }
    assertThat(names(A)).as("replicated ones beyond last_n 1 are pruned").hasSize(1);

    zfs.snapshot(List.of(A_DST), "tampered");
    job.runOnce();
    clock.advance(Duration.ofHours(1));
    job.runOnce();

    assertThat(names(A)).as("not replicated (diverged receiver): kept").hasSize(3);
    assertThat(names(C)).as("replicated: pruned to 1").hasSize(1);
  }

  @Test
  void theLoopSnapshotsOnScheduleAndEachRoundTriggersAnInvocation() {
    ReplicationJob job = job();
    job.start();
    assertThat(job.state().running()).isTrue();
    assertThat(job.state().nextSnapshotDue()).contains(T0);

    scheduler.advance(Duration.ZERO);
    assertThat(names(A)).hasSize(1);
    assertThat(zfs.listDatasets(List.of(), Set.of()))
        .as("nothing replicated before the notification is delivered")
        .noneMatch(d -> d.path().toString().startsWith("dst/"));
    assertThat(notifications).hasSize(1);

    notifications.remove(0).run();
    scheduler.advance(Duration.ZERO);
    assertThat(names(A_DST)).isEqualTo(names(A));
    assertThat(job.state().lastInvocationAt()).contains(T0);
    assertThat(job.state().nextSnapshotDue()).contains(T0.plus(Duration.ofHours(1)));

    job.stop();
    notifications.clear();
    scheduler.advance(Duration.ofHours(2));
    assertThat(names(A)).as("stopped").hasSize(1);
    assertThat(job.state().running()).isFalse();
  }

  @Test
  void wakeupRequestsAreMergedAndIgnoredWhileStopped() {
    ReplicationJob job = job("type: manual", KEEP_ALL, KEEP_ALL);
    zfs.snapshot(List.of(A, C), "one");
    job.wakeup();
    assertThat(scheduler.advance(Duration.ZERO)).isZero();

    job.start();
    job.wakeup();
    job.wakeup();
    assertThat(scheduler.advance(Duration.ZERO)).isEqualTo(1);
    assertThat(names(A_DST)).containsExactly("one");
  }

  @Test
  void startTwiceIsAnError() {
    ReplicationJob job = job();
    job.start();
    assertThatThrownBy(job::start).hasMessageContaining("'mirror' is already running");
  }
}
