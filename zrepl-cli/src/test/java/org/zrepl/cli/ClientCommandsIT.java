package org.zrepl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zrepl.app.daemon.JobStatus;
import org.zrepl.app.daemon.StatusReport;
import org.zrepl.port.transport.control.ControlRequest;
import org.zrepl.port.transport.control.ControlResponse;
import org.zrepl.transport.control.ControlServer;

/** {@code status}, {@code signal} and {@code version} against a control socket in a temp dir. */
class ClientCommandsIT {

  @TempDir Path tmp;

  private Path config;
  private Path socket;
  private final List<ControlRequest> received = new ArrayList<>();
  private final ObjectMapper json = new ObjectMapper();

  private final StatusReport report =
      new StatusReport(
          "9.9.9",
          "2026-11-25T10:00:00Z",
          "",
          List.of(
              new JobStatus(
                  "snapjob",
                  "snap",
                  "idle",
                  "2026-11-25T10:00:00Z",
                  "2026-11-25T11:00:00Z",
                  List.of(),
                  List.of(
                      new JobStatus.DatasetStatus(
                          "pool/a", "snapshotted", "took @zrepl_1", 0, -1, "", ""))),
              new JobStatus("otherjob", "push", "idle", "", "", List.of(), List.of())));

  private ControlResponse handle(ControlRequest r) {
    synchronized (received) {
      received.add(r);
    }
    return switch (r.command()) {
      case "status" -> ControlResponse.ok(json.valueToTree(report).toString());
      case "version" ->
          ControlResponse.ok(
              json.createObjectNode().put("version", "9.9.9").put("java", "17").toString());
      default ->
          r.args().get(1).equals("snapjob")
              ? ControlResponse.ok(json.createObjectNode().toString())
              : ControlResponse.error("no job named '" + r.args().get(1) + "' (jobs: snapjob)");
    };
  }

  @BeforeEach
  void config() throws Exception {
    socket = tmp.resolve("run").resolve("control");
    config = tmp.resolve("zrepl.yml");
    Files.writeString(config, "global:\n  control:\n    sockpath: " + socket + "\njobs: []\n");
  }

  @Test
  void statusDumpRawAndSignals() throws Exception {
    try (ControlServer s = ControlServer.start(socket, this::handle)) {
      Cli dump = Cli.run("status", "--config", config.toString());
      assertThat(dump.code()).as(dump.err()).isZero();
      // not a terminal: the dump
      assertThat(dump.out())
          .startsWith("daemon zrepl-jvm 9.9.9, up since 2026-11-25T10:00:00Z\n")
          .contains("job snapjob (snap): idle\n")
          .contains("  pool/a  snapshotted  took @zrepl_1\n");

      Cli raw = Cli.run("status", "--mode", "raw", "--config", config.toString());
      assertThat(raw.code()).isZero();
      assertThat(json.readValue(raw.out(), StatusReport.class)).isEqualTo(report);

      Cli sig = Cli.run("signal", "wakeup", "snapjob", "--config", config.toString());
      assertThat(sig.code()).isZero();
      assertThat(sig.out()).isEqualTo("signal wakeup sent to job snapjob\n");
      Cli bad = Cli.run("signal", "snapshot", "other", "--config", config.toString());
      assertThat(bad.code()).isEqualTo(1);
      assertThat(bad.err()).isEqualTo("zrepl: error: no job named 'other' (jobs: snapjob)\n");
      Cli usage = Cli.run("signal", "explode", "snapjob", "--config", config.toString());
      assertThat(usage.code()).isEqualTo(2);

      Cli version = Cli.run("version", "--config", config.toString());
      assertThat(version.out())
          .contains("client: zrepl-jvm ")
          .contains("daemon: zrepl-jvm 9.9.9 (java 17)");
      assertThat(version.err())
          .startsWith("zrepl: warning: client version ")
          .contains(" != daemon version 9.9.9, restart the zrepl daemon");
      Cli daemonOnly = Cli.run("version", "--show", "daemon", "--config", config.toString());
      assertThat(daemonOnly.code()).isZero();
      assertThat(daemonOnly.out()).isEqualTo("daemon: zrepl-jvm 9.9.9 (java 17)\n");
      Cli clientOnly = Cli.run("version", "--show", "client", "--config", config.toString());
      assertThat(clientOnly.out()).startsWith("client: zrepl-jvm ").doesNotContain("daemon");
      assertThat(clientOnly.err()).isEmpty();
    }
    assertThat(received)
        .contains(ControlRequest.of("signal", "wakeup", "snapjob"), ControlRequest.of("status"));
  }

  @Test
  void statusJobLimitsTheDumpAndDelayTakesZreplsDurations() throws Exception {
    try (ControlServer s = ControlServer.start(socket, this::handle)) {
      Cli all = Cli.run("status", "--mode", "dump", "--config", config.toString());
      assertThat(all.out()).contains("job snapjob (snap)").contains("job otherjob (push)");

      Cli one =
          Cli.run("status", "--job", "otherjob", "-d", "250ms", "--config", config.toString());
      assertThat(one.code()).as(one.err()).isZero();
      assertThat(one.out()).contains("job otherjob (push): idle").doesNotContain("snapjob");

      Cli none = Cli.run("status", "--job", "nope", "--config", config.toString());
      assertThat(none.code()).isEqualTo(1);
      assertThat(none.err()).contains("the daemon has no job named 'nope'");
    }
    for (String ok : List.of("500ms", "2m", "1h", "PT1S")) {
      assertThat(new StatusCommand.DurationConverter().convert(ok)).as(ok).isPositive();
    }
    Cli bad = Cli.run("status", "--delay", "soon", "--config", config.toString());
    assertThat(bad.code()).as("a usage error").isEqualTo(2);
    assertThat(bad.err()).contains("500ms, 1s, 2m or PT1S, got soon");
    Cli zero = Cli.run("status", "-d", "0s", "--config", config.toString());
    assertThat(zero.code()).isEqualTo(2);
    assertThat(zero.err()).contains("delay must be positive, got 0s");
  }

  @Test
  void noDaemon() {
    Cli r = Cli.run("status", "--config", config.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .startsWith("zrepl: error: cannot talk to the daemon at control socket " + socket)
        .endsWith("(is the daemon running?)\n");
    assertThat(Cli.run("version", "--config", config.toString()).out()).doesNotContain("daemon:");
    Cli daemon = Cli.run("version", "--show", "daemon", "--config", config.toString());
    assertThat(daemon.code()).isEqualTo(1);
    assertThat(daemon.out()).isEmpty();
    assertThat(daemon.err())
        .startsWith("zrepl: error: cannot talk to the daemon at control socket " + socket)
        .endsWith("(is the daemon running?)\n");
  }
}
