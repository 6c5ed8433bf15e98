package org.zrepl.transport.stdinserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zrepl.port.transport.Connection;

/**
 * The ssh connector against stand-in {@code ssh} executables (shell scripts): how it builds the
 * command line, reports a dying ssh, enforces {@code dial_timeout} and kills ssh on close.
 */
class SshConnectorIT {
  @TempDir Path tmp;

  private Path fakeSsh(String body) throws IOException {
    Path p = tmp.resolve("ssh");
    Files.writeString(p, "#!/bin/sh\n" + body + "\n", StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
    return p;
  }

  private SshConnector connector(Path ssh, Duration dial) {
    return new SshConnector(
        ssh.toString(),
        "backup.example",
        "zrepl",
        2222,
        Path.of("/etc/zrepl/ssh/identity"),
        List.of("Compression=yes", "UserKnownHostsFile=/etc/zrepl/known_hosts"),
        dial);
  }

  @Test
  void theCommandLineCarriesEveryConfiguredPart() throws Exception {
    Path args = tmp.resolve("args");
    Path ssh =
        fakeSsh("for a in \"$@\"; do echo \"$a\"; done > " + args + "; printf X; cat >/dev/null");
    try (Connection c = connector(ssh, Duration.ofSeconds(10)).connect()) {
      assertThat(c.in().read()).isEqualTo('X');
      assertThat(c.describe()).isEqualTo("ssh+stdinserver zrepl@backup.example:2222");
    }
    List<String> argv = Files.readAllLines(args);
    assertThat(argv)
        .containsSubsequence("-o", "BatchMode=yes")
        .containsSubsequence("-i", "/etc/zrepl/ssh/identity")
        .containsSubsequence("-p", "2222")
        .containsSubsequence("-o", "Compression=yes")
        .containsSubsequence("-o", "UserKnownHostsFile=/etc/zrepl/known_hosts")
        .containsSubsequence("-o", "ConnectTimeout=10")
        .contains("-T");
    // user@host comes after every option, then only the (ignored) fallback command.
    assertThat(argv.get(argv.size() - 2)).isEqualTo("zrepl@backup.example");
    assertThat(argv.get(argv.size() - 1)).isEqualTo(SshConnector.NO_FORCED_COMMAND);
  }

  @Test
  void aDyingSshIsReportedWithItsStatusAndStderr() throws IOException {
    Path ssh = fakeSsh("echo 'zrepl@backup.example: Permission denied (publickey).' >&2; exit 255");
    assertThatThrownBy(() -> connector(ssh, Duration.ofSeconds(10)).connect())
        .isInstanceOf(IOException.class)
        .hasMessageContaining("ssh+stdinserver zrepl@backup.example:2222")
        .hasMessageContaining("exit status 255")
        .hasMessageContaining("Permission denied (publickey).");
  }

  @Test
  void aStdinserverThatFailsIsReportedWithItsStatus() throws IOException {
    Path ssh =
        fakeSsh("echo \"zrepl: error: no daemon serves client identity 'laptop'\" >&2; exit 1");
    assertThatThrownBy(() -> connector(ssh, Duration.ofSeconds(10)).connect())
        .isInstanceOf(IOException.class)
        .hasMessageContaining("ssh exited with status 1")
        .hasMessageContaining("no daemon serves client identity 'laptop'");
  }

  @Test
  void aSilentPeerIsKilledAfterTheDialTimeout() throws IOException {
    Path pid = tmp.resolve("pid");
    Path ssh = fakeSsh("echo $$ > " + pid + "; exec sleep 600");
    long start = System.nanoTime();
    assertThatThrownBy(() -> connector(ssh, Duration.ofMillis(500)).connect())
        .isInstanceOf(IOException.class)
        .hasMessageContaining("did not answer within dial_timeout 500 ms");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    // Killed and reaped by the time connect() gave up.
    assertThat(processOf(pid).filter(ProcessHandle::isAlive)).isEmpty();
  }

  @Test
  void closingTheConnectionEndsSsh() throws Exception {
    Path pid = tmp.resolve("pid");
    // Ignores the end of its input, like an ssh whose peer hangs: close must kill it.
    Path ssh = fakeSsh("echo $$ > " + pid + "; printf X; exec sleep 600");
    Connection c = connector(ssh, Duration.ofSeconds(10)).connect();
    assertThat(c.in().read()).isEqualTo('X');
    ProcessHandle h = processOf(pid).orElseThrow();
    assertThat(h.isAlive()).isTrue();
    c.close();
    assertThat(h.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS).isAlive()).isFalse();
  }

  @Test
  void sshThatIsMissingIsNamed() {
    Path missing = tmp.resolve("no-such-ssh");
    assertThatThrownBy(() -> connector(missing, Duration.ofSeconds(1)).connect())
        .isInstanceOf(IOException.class)
        .hasMessageContaining("cannot start " + missing);
  }

  @Test
  void optionLikeHostsAreRefused() {
    assertThatThrownBy(
            () ->
                new SshConnector(
                    "ssh",
                    "-oProxyCommand=x",
                    "u",
                    22,
                    Path.of("k"),
                    List.of(),
                    Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-oProxyCommand=x");
  }

  private static Optional<ProcessHandle> processOf(Path pidFile) throws IOException {
    return ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip()));
  }
}
