package org.zrepl.app.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.zrepl.app.replication.FilesystemResult;
import org.zrepl.app.replication.ProgressEvent;
import org.zrepl.app.replication.ReplicationReport;
import org.zrepl.domain.dataset.DatasetPath;

class ReplicationAttemptsTest {

  private static final Instant T0 = Instant.parse("2026-12-05T08:00:00Z");
  private static final DatasetPath A = DatasetPath.of("pool/a");
  private static final DatasetPath B = DatasetPath.of("pool/b");

  private static ReplicationReport report(List<FilesystemResult> results, Instant end) {
    return new ReplicationReport(results, Set.of(), Optional.empty(), T0, end);
  }

  @Test
  void aRunIsPlanningThenFanningOutThenDoneWithItsTimes() {
    ReplicationAttempts attempts = new ReplicationAttempts();
    attempts.started(T0);
    assertThat(attempts.list().get(0).state()).isEqualTo("planning");
    assertThat(attempts.list().get(0).finishedAt()).isEmpty();

    attempts.on(new ProgressEvent.RunStarted(2, Set.of()));
    assertThat(attempts.list().get(0).state()).isEqualTo("fan-out-filesystems");
    assertThat(attempts.list().get(0).filesystems()).isEqualTo(2);

    Instant end = T0.plusSeconds(7);
    attempts.on(
        new ProgressEvent.RunFinished(
            report(
                List.of(
                    new FilesystemResult.Ok(A, "full @s1", 1, 10),
                    new FilesystemResult.Ok(B, "up to date", 0, 0)),
                end)));

    assertThat(attempts.list())
        .containsExactly(new ReplicationAttempt(1, T0, Optional.of(end), "done", "", 2, 0));
  }

  @Test
  void failedFilesystemsAndRunErrorsNameTheirCause() {
    ReplicationAttempts attempts = new ReplicationAttempts();
    attempts.started(T0);
    attempts.on(new ProgressEvent.RunStarted(2, Set.of()));
    attempts.on(
        new ProgressEvent.RunFinished(
            report(
                List.of(
                    new FilesystemResult.Failed(A, "step 1/1: connection reset", true, 3, 0),
                    new FilesystemResult.Failed(B, "step 1/1: disk full", false, 1, 0)),
                T0.plusSeconds(1))));
    attempts.started(T0.plusSeconds(60));
    attempts.on(
        new ProgressEvent.RunFinished(
            new ReplicationReport(
                List.of(),
                Set.of(),
                Optional.of("listing the receiver: connection refused"),
                T0.plusSeconds(60),
                T0.plusSeconds(61))));
    attempts.started(T0.plusSeconds(120));
    attempts.failed(T0.plusSeconds(121), "java.lang.IllegalStateException: interrupted");

    List<ReplicationAttempt> a = attempts.list();
    assertThat(a.get(0).state()).isEqualTo("filesystem-error");
    assertThat(a.get(0).failed()).isEqualTo(2);
    assertThat(a.get(0).error())
        .isEqualTo(
            "2 of 2 filesystems failed: pool/a: failed after 3 attempts: step 1/1: connection"
                + " reset (and 1 more)");
    assertThat(a.get(1).state()).isEqualTo("planning-error");
    assertThat(a.get(1).error()).isEqualTo("listing the receiver: connection refused");
    assertThat(a.get(2).state()).as("thrown while planning").isEqualTo("planning-error");
    assertThat(a.get(2).error()).contains("interrupted");
    assertThat(a.get(2).finishedAt()).hasValue(T0.plusSeconds(121));
  }

  @Test
  void keepsTheLastFiveRunsNumberedSinceTheJobStarted() {
    ReplicationAttempts attempts = new ReplicationAttempts();
    for (int i = 0; i < 7; i++) {
      attempts.started(T0.plusSeconds(i));
      attempts.on(new ProgressEvent.RunFinished(report(List.of(), T0.plusSeconds(i))));
    }
    assertThat(attempts.list())
        .extracting(ReplicationAttempt::number)
        .containsExactly(3, 4, 5, 6, 7);
  }

  @Test
  void eventsAfterTheRunFinishedChangeNothing() {
    ReplicationAttempts attempts = new ReplicationAttempts();
    attempts.on(new ProgressEvent.RunStarted(1, Set.of()));
    assertThat(attempts.list()).isEmpty();
    attempts.started(T0);
    attempts.on(new ProgressEvent.RunFinished(report(List.of(), T0)));
    attempts.on(new ProgressEvent.RunStarted(5, Set.of()));
    attempts.failed(T0.plusSeconds(1), "late");
    assertThat(attempts.list())
        .containsExactly(new ReplicationAttempt(1, T0, Optional.of(T0), "done", "", 0, 0));
  }
}
