package org.zrepl.zfs.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SshProcessLauncherTest {

  private static final List<String> HOSTILE =
      List.of(
          "a'b",
          "with space",
          "$(touch /tmp/zrepl-pwned)",
          "`id`",
          "; rm -rf /",
          "''",
          "'",
          "\\'",
          "\"double\"",
          "$HOME",
          "a\nb",
          "tab\there",
          "*",
          "",
          "-F",
          "pool/fs@snap#x%y",
          "ünïcødé");

  @Test
  void quotesEachArgumentInSingleQuotes() {
    assertThat(SshProcessLauncher.shellQuote("plain")).isEqualTo("'plain'");
    assertThat(SshProcessLauncher.shellQuote("a'b")).isEqualTo("'a'\\''b'");
    assertThat(SshProcessLauncher.shellQuote("with space")).isEqualTo("'with space'");
    assertThat(SshProcessLauncher.shellQuote("$(x)")).isEqualTo("'$(x)'");
    assertThat(SshProcessLauncher.shellQuote("")).isEqualTo("''");
  }

  @Test
  void wrapsArgvIntoOneRemoteCommand() {
    SshProcessLauncher ssh =
        new SshProcessLauncher(Path.of("/etc/zrepl/ssh_config"), "backup-host");
    assertThat(ssh.wrap(List.of("zfs", "get", "-Hp", "a'b c")))
        .containsExactly(
            "ssh", "-F", "/etc/zrepl/ssh_config", "backup-host", "'zfs' 'get' '-Hp' 'a'\\''b c'");
  }

  @Test
  void aRealShellGetsBackExactlyTheHostileArguments() throws Exception {
    assertThat(throughShell(HOSTILE)).isEqualTo(HOSTILE);
    assertThat(Path.of("/tmp/zrepl-pwned")).doesNotExist();
  }

  @Property(tries = 40)
  void anyArgumentSurvivesTheShell(
      @ForAll @Size(max = 4)
          List<
                  @StringLength(max = 12) @CharRange(from = 1, to = 127)
                  @Chars({'\'', '"', '$', '\\', '`', ' '}) String>
              args)
      throws Exception {
    assertThat(throughShell(args)).isEqualTo(args);
  }

  @Test
  @SuppressWarnings("StringConcatToTextBlock") // a three-line script reads fine as it is
  void startsTheWrappedCommandThroughTheSshBinary(@TempDir Path dir) throws Exception {
    // A stand-in for ssh that checks its options and runs the remote command with sh, as sshd
    // would.
    Path fakeSsh = dir.resolve("fake-ssh");
    Files.writeString(
        fakeSsh,
        "#!/bin/sh\n"
            + "[ \"$1\" = -F ] && [ \"$2\" = /cfg ] && [ \"$3\" = host ] || exit 99\n"
            + "exec sh -c \"$4\"\n");
    Files.setPosixFilePermissions(fakeSsh, PosixFilePermissions.fromString("rwx------"));
    SshProcessLauncher ssh =
        new SshProcessLauncher(
            fakeSsh.toString(), Path.of("/cfg"), "host", new LocalProcessLauncher());

    CommandResult r =
        new ShortCommandRunner(ssh).run(List.of("printf", "%s|", "a'b", "$(x)", "two words"));

    assertThat(r.exitCode()).isZero();
    assertThat(r.stdout()).isEqualTo("a'b|$(x)|two words|");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "-oProxyCommand=evil", "two words"})
  void rejectsHostsSshWouldMisread(String host) {
    assertThatThrownBy(() -> new SshProcessLauncher(Path.of("cfg"), host))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + host + "'");
  }

  @Test
  void rejectsNul() {
    assertThatThrownBy(() -> SshProcessLauncher.shellQuote("a\0b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("NUL");
  }

  /** Runs {@code printf '%s\0' args...} through {@code sh -c} as ssh's remote side would. */
  private static List<String> throughShell(List<String> args)
      throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>(List.of("printf", "%s\\0"));
    argv.addAll(args);
    String command = SshProcessLauncher.remoteCommand(argv);
    Process p = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).isZero();
    if (args.isEmpty()) {
      // printf with no arguments still prints the format once
      return List.of();
    }
    List<String> got = new ArrayList<>(List.of(out.split("\0", -1)));
    got.remove(got.size() - 1);
    return got;
  }
}
