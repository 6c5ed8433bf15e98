package org.zrepl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.zrepl.cli.DaemonProcessHarness.Result;

/**
 * The real daemon process and a {@code sink} whose tcp port is already taken: at start the daemon
 * exits non-zero naming the job, the address and the operating system's error; on SIGHUP the
 * running configuration keeps serving and the refusal is logged as an error.
 */
class DaemonListenerIT {

  private static final Duration WAIT = Duration.ofSeconds(60);

  private Path dir;
  private Path config;
  private Path socket;

  @BeforeEach
  void setUp() throws Exception {
    dir =
        Files.createTempDirectory(
            "zrepl-listener-it",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    config = dir.resolve("zrepl.yml");
    socket = dir.resolve("run").resolve("control");
  }

  private String config(int port) {
    return """
        global:
          logging:
            - type: stdout
              level: info
              format: human
          control:
            sockpath: %s
        jobs:
          - name: backups
            type: sink
            root_fs: pool/backups
            serve:
              type: tcp
              listen: "127.0.0.1:%d"
              clients: { "127.0.0.1": "laptop" }
        """
        .formatted(socket, port);
  }

  private static ServerSocket taken() throws Exception {
    ServerSocket s = new ServerSocket();
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    return s;
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = taken()) {
      return s.getLocalPort();
    }
  }

  @Test
  void aSinkWhosePortIsTakenStopsTheDaemonAtStart() throws Exception {
    try (ServerSocket held = taken()) {
      int port = held.getLocalPort();
      Files.writeString(config, config(port));

      try (DaemonProcessHarness d = DaemonProcessHarness.start(config)) {
        int code = d.awaitExit(WAIT);

        String out = d.output();
        assertThat(code).as(out).isEqualTo(1);
        String error =
            "job 'backups' cannot serve tcp 127.0.0.1:%d: cannot listen on 127.0.0.1:%d: Address already in use"
                .formatted(port, port);
        assertThat(out).contains("zrepl: error: cannot start daemon: " + error);
        assertThat(out.lines())
            .as("the log has it too, as an error of the job")
            .anyMatch(l -> l.contains("[ERROR]") && l.contains("[backups]") && l.contains(error));
        assertThat(socket).doesNotExist();
      }
    }
  }

  @Test
  void aReloadWhoseSinkPortIsTakenKeepsTheRunningSink() throws Exception {
    int first = freePort();
    Files.writeString(config, config(first));
    try (DaemonProcessHarness d = DaemonProcessHarness.start(config);
        ServerSocket held = taken()) {
      d.await(l -> l.contains("serving on tcp listener 127.0.0.1:" + first), WAIT, "serving");

      Files.writeString(config, config(held.getLocalPort()));
      d.signal("HUP");

      String refused =
          d.await(l -> l.contains("reload refused"), WAIT, "the reload refused as an error");
      assertThat(refused)
          .contains("[ERROR]")
          .contains(
              "reload refused, keeping the running configuration: job 'backups' cannot serve tcp"
                  + " 127.0.0.1:"
                  + held.getLocalPort())
          .contains("Address already in use");
      // the sink was stopped for the reload and started again on its old address (its line can
      // come after the refusal's: wait for it, then count)
      java.util.function.Predicate<String> serving =
          l -> l.contains("serving on tcp listener 127.0.0.1:" + first);
      if (d.output().lines().filter(serving).count() < 2) {
        d.await(serving, WAIT, "the sink serving again on its old address");
      }
      assertThat(
              d.output()
                  .lines()
                  .filter(l -> l.contains("serving on tcp listener 127.0.0.1:" + first)))
          .hasSize(2);
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), first)) {
        assertThat(s.isConnected()).isTrue();
      }
      Result r =
          DaemonProcessHarness.zrepl("status", "--mode", "raw", "--config", config.toString());
      assertThat(r.code()).as(r.out()).isZero();
      JsonNode job = new ObjectMapper().readTree(r.out()).path("jobs").get(0);
      assertThat(job.path("name").asText()).isEqualTo("backups");
      assertThat(job.path("state").asText()).isEqualTo("serving");

      d.signal("TERM");
      assertThat(d.awaitExit(WAIT)).as(d.output()).isZero();
    }
  }

  private String freebindConfig(boolean freebind) {
    return """
        global:
          logging:
            - type: stdout
              level: info
              format: human
          control:
            sockpath: %s
          monitoring:
            - type: prometheus
              listen: "192.0.2.1:9811"
              listen_freebind: %s
        jobs:
          - name: backups
            type: sink
            root_fs: pool/backups
            serve:
              type: tcp
              listen: "192.0.2.1:8888"
              listen_freebind: %s
              clients: { "192.0.2.2": "laptop" }
        """
        .formatted(socket, freebind, freebind);
  }

  /** TEST-NET-1: not on this machine; bound only, nothing is ever sent there. */
  @Test
  void listenFreebindLetsTheDaemonBindAnAddressNotOnThisMachine() throws Exception {
    Files.writeString(config, freebindConfig(false));
    try (DaemonProcessHarness d = DaemonProcessHarness.start(config)) {
      int code = d.awaitExit(WAIT);
      assertThat(code).as(d.output()).isEqualTo(1);
      assertThat(d.output())
          .contains(
              "zrepl: error: cannot start daemon: cannot listen for Prometheus on '192.0.2.1:9811':"
                  + " Cannot assign requested address");
    }

    Files.writeString(config, freebindConfig(true));
    try (DaemonProcessHarness d = DaemonProcessHarness.start(config)) {
      d.await(l -> l.contains("serving on tcp listener 192.0.2.1:8888"), WAIT, "serving");
      d.signal("TERM");
      assertThat(d.awaitExit(WAIT)).as(d.output()).isZero();
    }
  }
}
