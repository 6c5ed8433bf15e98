package org.zrepl.app.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.zrepl.app.config.Job.Snap;
import org.zrepl.port.transport.control.ControlRequest;
import org.zrepl.port.transport.control.ControlResponse;

class ControlServiceTest {

  private final List<RecordingJob> built = new ArrayList<>();
  private final Daemon daemon =
      new Daemon(
          new JobBuilders()
              .register(
                  Snap.class,
                  c -> {
                    RecordingJob j = new RecordingJob(c);
                    built.add(j);
                    return j;
                  }),
          java.time.Clock.systemUTC());
  private final ControlService service =
      new ControlService(
          daemon,
          "1.2.3",
          Instant.parse("2026-11-25T10:00:00.5Z"),
          Optional.of(Path.of("/etc/zrepl/zrepl.yml")));

  ControlServiceTest() {
    daemon.start(DaemonTest.config("alpha", "beta"));
  }

  @Test
  void statusListsTheJobs() {
    ControlResponse r = service.handle(ControlRequest.of("status"));
    assertThat(r.ok()).isTrue();
    assertThat(r.body().toString())
        .isEqualTo(
            "{\"schema\":2,\"version\":\"1.2.3\",\"startedAt\":\"2026-11-25T10:00:00Z\","
                + "\"configFile\":\"/etc/zrepl/zrepl.yml\",\"jobs\":["
                + "{\"name\":\"alpha\",\"type\":\"recording\",\"state\":\"idle\",\"lastRunAt\":\"\","
                + "\"nextRunAt\":\"\",\"errors\":[],\"datasets\":[],"
                + "\"nextSnapshotAt\":\"\",\"nextReplicationAt\":\"\",\"snapshotting\":null,"
                + "\"pruning\":[],\"pullers\":[],\"attempts\":[]},"
                + "{\"name\":\"beta\",\"type\":\"recording\",\"state\":\"idle\",\"lastRunAt\":\"\","
                + "\"nextRunAt\":\"\",\"errors\":[],\"datasets\":[],"
                + "\"nextSnapshotAt\":\"\",\"nextReplicationAt\":\"\",\"snapshotting\":null,"
                + "\"pruning\":[],\"pullers\":[],\"attempts\":[]}]}");
  }

  @Test
  void signalsReachTheirJob() {
    assertThat(service.handle(ControlRequest.of("signal", "wakeup", "beta")).ok()).isTrue();
    assertThat(service.handle(ControlRequest.of("signal", "snapshot", "beta")).ok()).isTrue();
    assertThat(built.get(1).calls).containsExactly("start", "wakeup", "snapshot");
    assertThat(built.get(0).calls).containsExactly("start");
  }

  @Test
  void refusalsNameWhatWasWrong() {
    assertThat(service.handle(ControlRequest.of("signal", "wakeup", "gamma")).error())
        .isEqualTo("no job named 'gamma' (jobs: alpha, beta)");
    assertThat(service.handle(ControlRequest.of("signal", "reset", "alpha")).error())
        .isEqualTo("job 'alpha' has nothing to reset");
    assertThat(service.handle(ControlRequest.of("signal", "explode", "alpha")).error())
        .isEqualTo(
            "signal needs one of [wakeup, reset, snapshot] and a job name, got [explode, alpha]");
    assertThat(service.handle(ControlRequest.of("signal", "wakeup")).error())
        .isEqualTo("signal needs one of [wakeup, reset, snapshot] and a job name, got [wakeup]");
    assertThat(service.handle(ControlRequest.of("restart")).error())
        .isEqualTo("unknown control command 'restart', expected status, signal or version");
  }

  @Test
  void version() {
    ControlResponse r = service.handle(ControlRequest.of("version"));
    assertThat(json(r).path("version").asText()).isEqualTo("1.2.3");
    assertThat(json(r).path("java").asText()).isEqualTo(System.getProperty("java.version"));
  }

  private static com.fasterxml.jackson.databind.JsonNode json(ControlResponse r) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
