package org.zrepl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.zrepl.cli.DaemonProcessHarness.Result;

/**
 * The control socket and the configuration, as an unprivileged local user sees them: the daemon
 * (root) keeps its control socket in a directory only it may enter, so another user can neither
 * read a private configuration nor, with a readable copy of it, talk to the daemon; root can. Runs
 * as root only (it switches user with {@code runuser}); elsewhere it is skipped with the reason.
 */
class UnprivilegedAccessIT {
  private static final Duration WAIT = Duration.ofSeconds(90);

  /** An existing unprivileged account: {@code nobody}, or one made here with useradd. */
  private static String user;

  @BeforeAll
  static void needRootAndAnUnprivilegedUser() throws Exception {
    boolean root = "root".equals(System.getProperty("user.name"));
    Assumptions.assumeTrue(
        root, "UnprivilegedAccessIT switches to an unprivileged user and so must run as root");
    user = "nobody";
    if (DaemonProcessHarness.run(List.of("id", "-u", user)).code() != 0) {
      user = "zrepl-it-unpriv";
      if (DaemonProcessHarness.run(List.of("id", "-u", user)).code() != 0) {
        Result r =
            DaemonProcessHarness.run(
                List.of("useradd", "--system", "--no-create-home", "-s", "/bin/false", user));
        assertThat(r.code()).as("useradd: %s", r.out()).isZero();
      }
    }
  }

  /** {@code zrepl ARGS} as the unprivileged user. */
  private static Result asUser(String... args) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> argv =
        new ArrayList<>(
            List.of(
                "runuser", "-u", user, "--", java, "-jar", DaemonProcessHarness.JAR.toString()));
    argv.addAll(List.of(args));
    return DaemonProcessHarness.run(argv);
  }

  @Test
  void anotherUserCanNeitherReadAPrivateConfigNorReachTheControlSocket() throws Exception {
    Path dir =
        Files.createTempDirectory(
            "zrepl-unpriv-it",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    Path run = dir.resolve("run");
    String yaml =
        "global:\n  logging: [{type: stdout, level: info, format: human}]\n  control:\n    sockpath: "
            + run.resolve("control")
            + "\n";
    Path config = dir.resolve("zrepl.yml");
    Files.writeString(config, yaml);
    Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-------"));
    Path readable = dir.resolve("copy.yml");
    Files.writeString(readable, yaml);
    Files.setPosixFilePermissions(readable, PosixFilePermissions.fromString("rw-r--r--"));

    try (DaemonProcessHarness d = DaemonProcessHarness.start(config)) {
      d.await(l -> l.contains("daemon starting"), WAIT, "daemon starting");
      long deadline = System.nanoTime() + WAIT.toNanos();
      Result rootStatus;
      do { // the socket appears just after the line
        rootStatus =
            DaemonProcessHarness.zrepl("status", "--mode", "raw", "--config", config.toString());
      } while (rootStatus.code() != 0 && System.nanoTime() < deadline);
      assertThat(rootStatus.code()).as("root's status: %s", rootStatus.out()).isZero();
      assertThat(rootStatus.out()).contains("\"jobs\"");

      assertThat(Files.getPosixFilePermissions(run))
          .as("the control socket's directory")
          .isEqualTo(PosixFilePermissions.fromString("rwx------"));

      Result privateConfig = asUser("status", "--mode", "raw", "--config", config.toString());
      assertThat(privateConfig.code()).as(privateConfig.out()).isNotZero();
      assertThat(privateConfig.out())
          .contains("cannot read config file " + config + ": permission denied")
          .doesNotContain("\"jobs\"")
          .doesNotContain("Exception")
          .doesNotContain("\tat ");

      Result socket = asUser("status", "--mode", "raw", "--config", readable.toString());
      assertThat(socket.code()).as(socket.out()).isNotZero();
      assertThat(socket.out())
          .contains(run.resolve("control").toString())
          .doesNotContain("\"jobs\"");

      Result signal = asUser("signal", "wakeup", "nojob", "--config", readable.toString());
      assertThat(signal.code()).as(signal.out()).isNotZero();
      assertThat(signal.out()).doesNotContain("sent");
    }
  }

  @Test
  void theDaemonWarnsAtStartWhenOthersMayReadItsConfigAndStartsAnyway() throws Exception {
    Path dir =
        Files.createTempDirectory(
            "zrepl-unpriv-it",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Path config = dir.resolve("zrepl.yml");
    Files.writeString(
        config,
        "global:\n  logging: [{type: stdout, level: info, format: human}]\n  control:\n"
            + "    sockpath: "
            + dir.resolve("run").resolve("control")
            + "\n");
    Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r--r--"));
    try (DaemonProcessHarness d = DaemonProcessHarness.start(config)) {
      d.await(
          l ->
              l.contains("[WARN]")
                  && l.contains(
                      "config file " + config + " is readable by every user (mode rw-r--r--)"),
          WAIT,
          "the warning");
      d.await(l -> l.contains("daemon starting"), WAIT, "daemon starting anyway");
    }
  }
}
