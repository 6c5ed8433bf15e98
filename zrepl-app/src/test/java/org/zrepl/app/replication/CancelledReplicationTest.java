package org.zrepl.app.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.zrepl.app.replication.FakeWorld.filter;
import static org.zrepl.app.replication.FakeWorld.target;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.port.zfs.SendRequest;
import org.zrepl.port.zfs.ZfsCapabilities;

/** {@code zrepl signal reset}: a {@link Cancellation} aborts the run and leaves things tidy. */
class CancelledReplicationTest {

  private static final String WHY = "reset by the operator";
  private static final DatasetPath A = DatasetPath.of("src/a");
  private static final DatasetPath B = DatasetPath.of("src/b");

  static Stream<ZfsCapabilities> presets() {
    return Stream.of(ZfsCapabilities.zfsFuse(), ZfsCapabilities.openZfs21());
  }

  /** src/a and src/b with 300 KB each in @s1: several reads per stream. */
  /** A world whose streams pass through this process (as over a launcher that cannot pipe). */
  private static FakeWorld world(ZfsCapabilities caps) {
    FakeWorld w = pipedWorld(caps);
    w.zfs.pipeDirectly(false);
    return w;
  }

  /** A world whose local receives take the send over (a kernel pipe with the real adapter). */
  private static FakeWorld pipedWorld(ZfsCapabilities caps) {
    FakeWorld w = new FakeWorld(caps);
    for (String fs : new String[] {"src/a", "src/b"}) {
      DatasetPath p = w.fs(fs);
      w.write(p, fs.repeat(50_000));
      w.snapshot("s1", p);
    }
    return w;
  }

  private static ReplicationReport run(
      FakeWorld w, ReplicationPolicy policy, ProgressListener listener, Cancellation cancel) {
    return new ReplicationEngine(w.clock, w.clock::sleep)
        .run(
            w.sender(filter("src/a", "src/b")),
            w.receiver(),
            policy,
            e -> {
              w.events.on(e);
              listener.on(e);
            },
            cancel);
  }

  @ParameterizedTest
  @MethodSource("presets")
  void cancelMidStreamAbortsTheStepWithoutRetryAndStartsNothingElse(ZfsCapabilities caps) {
    FakeWorld w = world(caps);
    Cancellation cancel = new Cancellation();
    ReplicationPolicy policy = ReplicationPolicy.defaults().withMaxAttempts(5);

    ReplicationReport report =
        run(
            w,
            policy,
            e -> {
              if (e instanceof ProgressEvent.BytesSent b && b.bytes() > 100_000) {
                cancel.cancel(WHY);
              }
            },
            cancel);

    FilesystemResult.Failed first = (FilesystemResult.Failed) report.result(A).orElseThrow();
    assertThat(first.error()).contains("full @s1", "aborted: " + WHY);
    assertThat(first.attempts()).as("no further attempt after a reset").isEqualTo(1);
    FilesystemResult.Failed second = (FilesystemResult.Failed) report.result(B).orElseThrow();
    assertThat(second.error()).contains("not started: " + WHY);
    assertThat(w.zfs.processesStarted("send")).as("src/b never sent").isEqualTo(1);
    assertThat(w.clock.slept()).isEqualTo(Duration.ZERO);
    if (caps.resumableReceive()) {
      // the receiver keeps its partial state; the step hold keeps the snapshot it resumes from
      assertThat(FakeWorld.partialReceives(w.zfs)).containsExactly(target(A));
      assertThat(w.allHolds()).containsExactly("src/a@s1=zrepl_STEP_J_job");
    } else {
      assertThat(FakeWorld.partialReceives(w.zfs)).isEmpty();
      assertThat(w.exists(target(A))).as("nothing partial is left").isFalse();
      assertThat(w.allHolds()).isEmpty();
    }

    ReplicationReport next = run(w, policy, e -> {}, new Cancellation());

    assertThat(next.isSuccess()).as(next.describe()).isTrue();
    assertThat(w.read(target(A))).isEqualTo("src/a".repeat(50_000));
    assertThat(
            w.events.of(ProgressEvent.StepStarted.class).stream()
                .filter(s -> s.filesystem().equals(A))
                .skip(1)
                .findFirst()
                .orElseThrow()
                .resumed())
        .as("the next run resumes where ZFS kept partial state")
        .isEqualTo(caps.resumableReceive());
    w.assertOnlyLastReceivedHolds(target(A), target(B));
  }

  @ParameterizedTest
  @MethodSource("presets")
  void cancelDuringTheWaitBeforeAnotherAttemptEndsTheWaitAndTheStep(ZfsCapabilities caps) {
    FakeWorld w = world(caps);
    w.zfs.cutNextSendAfter(
        InterruptedReplicationTest.streamSize(w, SendRequest.full(A, "s1", java.util.Set.of()))
            / 2);
    Cancellation cancel = new Cancellation();
    ReplicationPolicy policy = ReplicationPolicy.defaults().withMaxAttempts(3);
    int sendsBefore = w.zfs.processesStarted("send");

    ReplicationReport report =
        run(
            w,
            policy,
            e -> {
              if (e instanceof ProgressEvent.StateChanged c
                  && c.state() == FilesystemState.RETRY_WAIT) {
                cancel.cancel(WHY);
              }
            },
            cancel);

    FilesystemResult.Failed a = (FilesystemResult.Failed) report.result(A).orElseThrow();
    assertThat(a.error()).contains("aborted before attempt 2: " + WHY, "last error");
    assertThat(w.clock.slept()).as("the wait was skipped").isEqualTo(Duration.ZERO);
    assertThat(w.zfs.processesStarted("send") - sendsBefore).isEqualTo(1);
    assertThat(report.result(B).orElseThrow().describe()).contains("not started: " + WHY);
  }

  @ParameterizedTest
  @MethodSource("presets")
  void cancelWithSeveralWorkersStopsEveryStream(ZfsCapabilities caps) {
    FakeWorld w = world(caps);
    Cancellation cancel = new Cancellation();

    ReplicationReport report =
        run(
            w,
            ReplicationPolicy.defaults().withConcurrencySteps(2),
            e -> {
              if (e instanceof ProgressEvent.BytesSent b && b.bytes() > 100_000) {
                cancel.cancel(WHY);
              }
            },
            cancel);

    assertThat(report.results()).hasSize(2);
    assertThat(report.results())
        .allSatisfy(r -> assertThat(r.describe()).contains(WHY))
        .allSatisfy(r -> assertThat(r).isInstanceOf(FilesystemResult.Failed.class));
    if (!caps.resumableReceive()) {
      assertThat(w.allHolds()).isEmpty();
    }
  }

  @ParameterizedTest
  @MethodSource("presets")
  void cancelDuringAPipedStepStopsBothCommandsAndTheNextRunResumes(ZfsCapabilities caps) {
    FakeWorld w = pipedWorld(caps);
    Cancellation cancel = new Cancellation();
    ReplicationPolicy policy = ReplicationPolicy.defaults().withMaxAttempts(5);
    w.zfs.duringNextDirectReceive(100_000, () -> cancel.cancel(WHY));

    ReplicationReport report = run(w, policy, e -> {}, cancel);

    FilesystemResult.Failed first = (FilesystemResult.Failed) report.result(A).orElseThrow();
    assertThat(first.error()).contains("full @s1", "aborted: " + WHY);
    assertThat(first.attempts()).as("no further attempt after a reset").isEqualTo(1);
    assertThat(report.result(B).orElseThrow().describe()).contains("not started: " + WHY);
    assertThat(w.events.of(ProgressEvent.BytesSent.class))
        .as("a piped stream reports its length at its end only")
        .isEmpty();
    if (caps.resumableReceive()) {
      assertThat(FakeWorld.partialReceives(w.zfs)).containsExactly(target(A));
      assertThat(w.allHolds()).containsExactly("src/a@s1=zrepl_STEP_J_job");
    } else {
      assertThat(FakeWorld.partialReceives(w.zfs)).isEmpty();
      assertThat(w.exists(target(A))).as("nothing partial is left").isFalse();
      assertThat(w.allHolds()).isEmpty();
    }

    ReplicationReport next = run(w, policy, e -> {}, new Cancellation());

    assertThat(next.isSuccess()).as(next.describe()).isTrue();
    assertThat(w.read(target(A))).isEqualTo("src/a".repeat(50_000));
    long streamB =
        InterruptedReplicationTest.streamSize(w, SendRequest.full(B, "s1", java.util.Set.of()));
    assertThat(
            w.events.of(ProgressEvent.BytesSent.class).stream()
                .filter(b -> b.filesystem().equals(B))
                .map(ProgressEvent.BytesSent::bytes))
        .as("the piped step's length, as the receive reported it")
        .containsExactly(streamB);
    assertThat(((FilesystemResult.Ok) next.result(B).orElseThrow()).bytes()).isEqualTo(streamB);
    w.assertOnlyLastReceivedHolds(target(A), target(B));
  }
}
