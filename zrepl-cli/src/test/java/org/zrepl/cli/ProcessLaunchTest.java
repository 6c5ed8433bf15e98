package org.zrepl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProcessLaunchTest {

  @Test
  void vforkOnLinuxWithJdk17To21Only() {
    assertThat(ProcessLaunch.mechanism(17, "Linux", null)).isEqualTo("VFORK");
    assertThat(ProcessLaunch.mechanism(21, "Linux", null)).isEqualTo("VFORK");
    assertThat(ProcessLaunch.mechanism(22, "Linux", null)).isNull();
    assertThat(ProcessLaunch.mechanism(25, "Linux", null)).isNull();
    assertThat(ProcessLaunch.mechanism(17, "FreeBSD", null)).isNull();
  }

  @Test
  void anOperatorsChoiceWins() {
    assertThat(ProcessLaunch.mechanism(17, "Linux", "POSIX_SPAWN")).isNull();
    assertThat(ProcessLaunch.mechanism(17, "Linux", "FORK")).isNull();
  }

  /** The mechanism it picks for this JVM starts processes and carries their output and status. */
  @Test
  void theChosenMechanismStartsProcessesInAFreshJvm() throws IOException, InterruptedException {
    String java = ProcessHandle.current().info().command().orElse("java");
    Process p =
        new ProcessBuilder(
                java, "-cp", System.getProperty("java.class.path"), Probe.class.getName())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    String expected =
        ProcessLaunch.mechanism(Runtime.version().feature(), System.getProperty("os.name"), null);
    assertThat(out).isEqualTo((expected == null ? "null" : expected) + " hello 3");
  }

  /** Configures as Main does, then starts {@code sh} and reports what it saw. */
  public static final class Probe {
    public static void main(String[] args) throws Exception {
      ProcessLaunch.configure();
      Process p = new ProcessBuilder("sh", "-c", "echo hello; exit 3").start();
      String line = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      System.out.println(
          System.getProperty(ProcessLaunch.PROPERTY) + " " + line + " " + p.waitFor());
    }
  }
}
