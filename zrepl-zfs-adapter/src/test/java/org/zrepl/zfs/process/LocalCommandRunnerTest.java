package org.zrepl.zfs.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zrepl.port.process.CommandOutcome;
import org.zrepl.port.process.CommandRequest;

class LocalCommandRunnerTest {

  @TempDir Path dir;

  private final LocalCommandRunner runner = new LocalCommandRunner();

  private Path script(String body) throws IOException {
    Path p = dir.resolve("hook.sh");
    Files.writeString(p, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    return p;
  }

  private CommandOutcome run(Path script, Map<String, String> env, Duration timeout) {
    return runner.run(new CommandRequest(List.of(script.toString()), env, timeout));
  }

  @Test
  void passesTheEnvironmentAndCollectsStdoutAndStderr() throws IOException {
    Path s = script("echo \"fs=$ZREPL_FS\"; echo oops >&2; exit 0");
    CommandOutcome o = run(s, Map.of("ZREPL_FS", "pool/a"), Duration.ofSeconds(10));
    assertThat(o).isInstanceOf(CommandOutcome.Exited.class);
    assertThat(o.succeeded()).isTrue();
    assertThat(o.output()).contains("fs=pool/a").contains("oops");
  }

  @Test
  void reportsTheExitStatus() throws IOException {
    CommandOutcome o = run(script("exit 3"), Map.of(), Duration.ofSeconds(10));
    assertThat(o).isEqualTo(new CommandOutcome.Exited(3, ""));
    assertThat(o.succeeded()).isFalse();
    assertThat(o.describe()).isEqualTo("exit status 3");
  }

  @Test
  void killsACommandThatRunsTooLong() throws IOException {
    Path s = script("echo started; exec sleep 30");
    CommandOutcome o = run(s, Map.of(), Duration.ofMillis(300));
    assertThat(o).isInstanceOf(CommandOutcome.TimedOut.class);
    assertThat(o.output()).contains("started");
    assertThat(o.describe()).isEqualTo("timed out after PT0.3S, killed");
  }

  @Test
  void aMissingExecutableIsNotStarted() {
    CommandOutcome o = run(dir.resolve("missing"), Map.of(), Duration.ofSeconds(1));
    assertThat(o).isInstanceOf(CommandOutcome.NotStarted.class);
    assertThat(o.describe()).contains("could not start").contains("missing");
  }

  @Test
  void keepsOnlyTheTailOfLongOutput() throws IOException {
    Path s =
        script(
            "i=0; while [ $i -lt 3000 ]; do echo line-$i-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx; i=$((i+1)); done");
    CommandOutcome o = run(s, Map.of(), Duration.ofSeconds(20));
    assertThat(o.output())
        .startsWith("[output truncated to the last 65536 bytes]")
        .contains("line-2999-")
        .doesNotContain("line-0-");
  }
}
