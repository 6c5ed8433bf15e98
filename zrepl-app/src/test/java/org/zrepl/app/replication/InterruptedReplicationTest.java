package org.zrepl.app.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.zrepl.app.replication.FakeWorld.filter;
import static org.zrepl.app.replication.FakeWorld.target;

import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.zrepl.domain.dataset.DatasetFilter;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.port.zfs.DatasetBusyException;
import org.zrepl.port.zfs.SendRequest;
import org.zrepl.port.zfs.SendStream;
import org.zrepl.port.zfs.ZfsCapabilities;

/** Streams cut short, retries, resumption, and what stays behind: holds and partial receives. */
class InterruptedReplicationTest {

  static final DatasetFilter A = filter("src/a");

  static Stream<ZfsCapabilities> presets() {
    return Stream.of(ZfsCapabilities.zfsFuse(), ZfsCapabilities.openZfs21());
  }

  /** A filesystem src/a with 20 KB in @s1. */
  static FakeWorld worldWithSnapshot(ZfsCapabilities caps) {
    FakeWorld w = new FakeWorld(caps);
    DatasetPath a = w.fs("src/a");
    w.write(a, "x".repeat(20_000));
    w.snapshot("s1", a);
    return w;
  }

  static long streamSize(FakeWorld w, SendRequest request) {
    try (SendStream s = w.zfs.send(request)) {
      long n = s.data().transferTo(OutputStream.nullOutputStream());
      s.finish();
      return n;
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  @ParameterizedTest
  @MethodSource("presets")
  void streamCutAtARandomOffsetIsCompletedByTheNextRun(ZfsCapabilities caps) {
    Random random = new Random(20260101L);
    for (int i = 0; i < 8; i++) {
      FakeWorld w = worldWithSnapshot(caps);
      DatasetPath a = DatasetPath.of("src/a");
      long size = streamSize(w, SendRequest.full(a, "s1", Set.of()));
      long cut = 1 + (long) (random.nextDouble() * (size - 1));
      w.zfs.cutNextSendAfter(cut);

      ReplicationReport first = w.run(A, ReplicationPolicy.defaults().withMaxAttempts(1));

      String context = caps.flavour() + ", cut after " + cut + " of " + size + " bytes";
      FilesystemResult failed = first.result(a).orElseThrow();
      assertThat(failed).as(context).isInstanceOf(FilesystemResult.Failed.class);
      assertThat(((FilesystemResult.Failed) failed).temporary()).as(context).isTrue();
      assertThat(failed.describe()).as(context).contains("src/a", "full @s1");
      boolean partial = !FakeWorld.partialReceives(w.zfs).isEmpty();

      ReplicationReport second = w.run(A);

      assertThat(second.isSuccess()).as(context + ": " + second.describe()).isTrue();
      assertThat(w.read(target(a))).as(context).isEqualTo("x".repeat(20_000));
      w.assertOnlyLastReceivedHolds(target(a));
      boolean resumed =
          w.events.of(ProgressEvent.StepStarted.class).stream()
              .anyMatch(ProgressEvent.StepStarted::resumed);
      assertThat(resumed).as(context + ": resumed iff partial state was kept").isEqualTo(partial);
      if (!caps.resumableReceive()) {
        assertThat(partial).isFalse();
      }
    }
  }

  @ParameterizedTest
  @MethodSource("presets")
  void midStreamCutResumesWhereResumableReceiveExists(ZfsCapabilities caps) {
    FakeWorld w = worldWithSnapshot(caps);
    DatasetPath a = DatasetPath.of("src/a");
    w.zfs.cutNextSendAfter(streamSize(w, SendRequest.full(a, "s1", Set.of())) / 2);

    w.run(A, ReplicationPolicy.defaults().withMaxAttempts(1));

    if (caps.resumableReceive()) {
      assertThat(FakeWorld.partialReceives(w.zfs)).containsExactly(target(a));
      // the step hold keeps the sender's snapshot, so the receive stays resumable
      assertThat(w.allHolds()).containsExactly("src/a@s1=zrepl_STEP_J_job");
      assertThatThrownBy(() -> w.zfs.destroySnapshots(a, List.of("s1")))
          .isInstanceOf(DatasetBusyException.class);
    } else {
      assertThat(w.exists(target(a))).as("nothing partial is left").isFalse();
    }
    int sendsBefore = w.zfs.processesStarted("send");

    ReplicationReport second = w.run(A);

    assertThat(second.isSuccess()).as(second.describe()).isTrue();
    // where it resumes, the sender first decodes the client's token (zfs send -nvt)
    assertThat(w.zfs.processesStarted("send") - sendsBefore)
        .isEqualTo(caps.resumableReceive() ? 2 : 1);
    assertThat(w.events.of(ProgressEvent.StepStarted.class).get(1).resumed())
        .isEqualTo(caps.resumableReceive());
    w.assertOnlyLastReceivedHolds(target(a));
  }

  @Test
  void resumeOfAnOutdatedStepIsFollowedByTheRestInTheSameRun() {
    FakeWorld w = worldWithSnapshot(ZfsCapabilities.openZfs21());
    DatasetPath a = DatasetPath.of("src/a");
    w.zfs.cutNextSendAfter(streamSize(w, SendRequest.full(a, "s1", Set.of())) / 2);
    w.run(A, ReplicationPolicy.defaults().withMaxAttempts(1));
    w.write(a, "newer");
    w.snapshot("s2", a); // now the plan says "full @s2", but the token resumes @s1

    ReplicationReport report = w.run(A);

    assertThat(report.isSuccess()).as(report.describe()).isTrue();
    assertThat(w.snapshotNames(target(a))).containsExactly("s1", "s2");
    assertThat(w.read(target(a))).isEqualTo("newer");
    assertThat(w.events.of(ProgressEvent.StepStarted.class).stream().skip(1))
        .extracting(ProgressEvent.StepStarted::snapshots, ProgressEvent.StepStarted::resumed)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("full @s2", true),
            org.assertj.core.groups.Tuple.tuple("@s1 -> @s2", false));
    long s2 =
        w.zfs.listVersions(a).stream()
            .filter(v -> v.name().equals("s2"))
            .findFirst()
            .orElseThrow()
            .guid();
    assertThat(w.bookmarkNames(a)).containsExactly(String.format("zrepl_CURSOR_G_%016x_J_job", s2));
    w.assertOnlyLastReceivedHolds(target(a));
  }

  @ParameterizedTest
  @MethodSource("presets")
  void cutIncrementalStreamIsRetriedWithinTheRun(ZfsCapabilities caps) {
    FakeWorld w = worldWithSnapshot(caps);
    DatasetPath a = DatasetPath.of("src/a");
    w.run(A);
    w.write(a, "y".repeat(30_000));
    w.snapshot("s2", a);
    w.zfs.cutNextSendAfter(streamSize(w, SendRequest.incremental(a, "@s1", "s2", Set.of())) / 3);

    ReplicationReport report = w.run(A, ReplicationPolicy.defaults().withMaxAttempts(3));

    assertThat(report.isSuccess()).as(report.describe()).isTrue();
    List<ProgressEvent.StepFailed> failures = w.events.of(ProgressEvent.StepFailed.class);
    assertThat(failures).hasSize(1);
    assertThat(failures.get(0).temporary()).isTrue();
    assertThat(failures.get(0).willRetry()).isTrue();
    assertThat(failures.get(0).error()).contains("src/a");
    assertThat(w.clock.slept()).isEqualTo(ReplicationPolicy.defaults().retryInterval());
    assertThat(w.read(target(a))).isEqualTo("y".repeat(30_000));
    w.assertOnlyLastReceivedHolds(target(a));
  }

  @ParameterizedTest
  @MethodSource("presets")
  void modifiedReceiverIsAPermanentFailureAndNotRetried(ZfsCapabilities caps) {
    FakeWorld w = worldWithSnapshot(caps);
    DatasetPath a = DatasetPath.of("src/a");
    w.run(A);
    w.snapshot("s2", a);
    w.write(target(a), "modified without a snapshot");

    ReplicationReport report = w.run(A, ReplicationPolicy.defaults().withMaxAttempts(5));

    FilesystemResult.Failed failed = (FilesystemResult.Failed) report.result(a).orElseThrow();
    assertThat(failed.temporary()).isFalse();
    assertThat(failed.attempts()).isEqualTo(1);
    assertThat(failed.error()).contains("dst/src/a", "modified");
    assertThat(w.clock.slept()).isEqualTo(Duration.ZERO);
    w.assertOnlyLastReceivedHolds(target(a));
  }

  @ParameterizedTest
  @MethodSource("presets")
  void repeatedRunsLeaveOnlyTheLastReceivedHoldAndOneCursor(ZfsCapabilities caps) {
    FakeWorld w = new FakeWorld(caps);
    DatasetPath a = w.fs("src/a");
    DatasetPath b = w.fs("src/a/b");
    for (int i = 1; i <= 4; i++) {
      w.write(a, "round " + i);
      w.snapshot("s" + i, a, b);
      if (i == 3) {
        w.snapshot("s3b", a);
      }

      ReplicationReport report = w.run(filter("src/a<"));

      assertThat(report.isSuccess()).as("round " + i + ": " + report.describe()).isTrue();
      w.assertOnlyLastReceivedHolds(target(a), target(b));
      for (DatasetPath fs : List.of(a, b)) {
        List<String> cursors = w.bookmarkNames(fs);
        if (caps.bookmarks()) {
          long newest =
              w.zfs.listVersions(fs).stream()
                  .filter(v -> v.isSnapshot())
                  .reduce((x, y) -> y)
                  .orElseThrow()
                  .guid();
          assertThat(cursors).containsExactly(String.format("zrepl_CURSOR_G_%016x_J_job", newest));
        } else {
          assertThat(cursors).isEmpty();
        }
      }
    }
    assertThat(w.read(target(a))).isEqualTo("round 4");
    assertThat(w.snapshotNames(target(a))).containsExactly("s1", "s2", "s3", "s3b", "s4");
  }
}
