package org.zrepl.cli.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.zrepl.app.daemon.JobStatus;
import org.zrepl.app.daemon.StatusReport;

class StatusViewTest {

  private static StatusReport report(long bytes) {
    return new StatusReport(
        "0.1.0",
        "2026-11-25T10:00:00Z",
        "/etc/zrepl/zrepl.yml",
        List.of(
            new JobStatus(
                "backup",
                "local",
                "running",
                "2026-11-25T10:00:00Z",
                "",
                List.of("pool/c: step 1 of 2 failed"),
                List.of(
                    new JobStatus.DatasetStatus(
                        "pool/a", "stepping", "@a -> @b", bytes, 40L << 20, "", ""),
                    new JobStatus.DatasetStatus(
                        "pool/c", "failed", "", 0, -1, "dataset is busy", ""))),
            new JobStatus(
                "idle", "snap", "idle", "", "2026-11-25T11:00:00Z", List.of(), List.of())));
  }

  @Test
  void dumpShowsJobsDatasetsProgressAndErrors() {
    assertThat(StatusView.render(report(10L << 20), Optional.empty(), Duration.ZERO))
        .isEqualTo(
            """
            daemon zrepl-jvm 0.1.0, up since 2026-11-25T10:00:00Z, config /etc/zrepl/zrepl.yml

            job backup (local): running
              last run: 2026-11-25T10:00:00Z   next run: not scheduled
              error: pool/c: step 1 of 2 failed
              pool/a  stepping     [======>                 ] 10.0 MiB / 40.0 MiB  @a -> @b
              pool/c  failed
                      last error: dataset is busy

            job idle (snap): idle
              last run: never   next run: 2026-11-25T11:00:00Z
            """);
  }

  @Test
  void dumpListsAttemptsNewestFirstAndPlanErrorsApart() {
    JobStatus j =
        new JobStatus(
                "backup",
                "push",
                "idle",
                "2026-11-25T10:00:00Z",
                "",
                List.of(),
                List.of(
                    new JobStatus.DatasetStatus(
                        "pool/a",
                        "done",
                        "step 1/1 full @b (encrypted=no)",
                        0,
                        -1,
                        "",
                        "",
                        "",
                        "no"),
                    new JobStatus.DatasetStatus(
                        "pool/c",
                        "conflict",
                        "",
                        0,
                        -1,
                        "pool/c: conflict: diverged",
                        "",
                        "pool/c: conflict: diverged",
                        "")))
            .withAttempts(
                List.of(
                    new JobStatus.Attempt(
                        1,
                        "2026-11-25T09:00:00Z",
                        "2026-11-25T09:00:02Z",
                        "planning-error",
                        "connection refused",
                        0,
                        0),
                    new JobStatus.Attempt(
                        2, "2026-11-25T10:00:00Z", "", "fan-out-filesystems", "", 2, 0)));
    String dump =
        StatusView.render(
            new StatusReport("0.1.0", "2026-11-25T09:00:00Z", "", List.of(j)),
            Optional.empty(),
            Duration.ZERO,
            Optional.of(java.time.Instant.parse("2026-11-25T10:00:05Z")));
    assertThat(dump)
        .isEqualTo(
            """
            daemon zrepl-jvm 0.1.0, up since 2026-11-25T09:00:00Z

            job backup (push): idle
              last run: 2026-11-25T10:00:00Z   next run: not scheduled
              attempt #2 fan-out-filesystems at 2026-11-25T10:00:00Z (running 5s)
              attempt #1 planning-error at 2026-11-25T09:00:00Z (ran 2s): connection refused
              pool/a  done         step 1/1 full @b (encrypted=no)
              pool/c  plan error: pool/c: conflict: diverged
            """);
  }

  @Test
  void aDoneFilesystemIsDrawnAsDoneWhateverTheEstimate() {
    StatusReport now =
        new StatusReport(
            "0.1.0",
            "2026-11-25T10:00:00Z",
            "",
            List.of(
                new JobStatus(
                    "backup",
                    "local",
                    "idle",
                    "2026-11-25T10:00:00Z",
                    "",
                    List.of(),
                    List.of(
                        new JobStatus.DatasetStatus(
                            "pool/a", "done", "step 1/1 @a", 11878, 128L << 10, "", "")))));
    String before = StatusView.render(now, Optional.empty(), Duration.ZERO);
    String live = StatusView.render(now, Optional.of(now), Duration.ofSeconds(1));
    for (String s : List.of(before, live)) {
      assertThat(s)
          .contains("pool/a  done         [========================] 11.6 KiB sent  step 1/1 @a")
          .doesNotContain("128.0 KiB")
          .doesNotContain("ETA")
          .doesNotContain(">");
    }
  }

  @Test
  void liveViewAddsRateAndTimeRemaining() {
    String s =
        StatusView.render(report(20L << 20), Optional.of(report(10L << 20)), Duration.ofSeconds(2));
    assertThat(s)
        .contains(
            "pool/a  stepping     [============>           ] 20.0 MiB / 40.0 MiB  5.0 MiB/s  ETA 0:04  @a -> @b");
  }

  @Test
  void units() {
    assertThat(StatusView.bytes(0)).isEqualTo("0 B");
    assertThat(StatusView.bytes(1023)).isEqualTo("1023 B");
    assertThat(StatusView.bytes(1536)).isEqualTo("1.5 KiB");
    assertThat(StatusView.bytes(3L << 40)).isEqualTo("3.0 TiB");
    assertThat(StatusView.duration(59)).isEqualTo("0:59");
    assertThat(StatusView.duration(3725)).isEqualTo("1:02:05");
  }

  @Test
  void barWithoutEstimate() {
    assertThat(StatusView.progress(2048, -1, Optional.empty()))
        .isEqualTo("[                        ] 2.0 KiB / unknown total");
  }
}
