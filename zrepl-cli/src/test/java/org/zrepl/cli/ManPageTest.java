package org.zrepl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ManPageTest {

  @TempDir Path dir;

  @Test
  void everyVisibleCommandAndOptionIsOnThePage() {
    Cli r = Cli.run("genman");
    assertThat(r.code()).isZero();
    String page = r.out();
    assertThat(page).startsWith(".TH ZREPL 8 ");
    CommandLine model = ZreplCommand.commandLine(null);
    model
        .getSubcommands()
        .forEach(
            (name, sub) -> {
              if (sub.getCommandSpec().usageMessage().hidden()) {
                assertThat(page).doesNotContain(".SS \"zrepl " + name);
              } else {
                assertThat(page).contains(".SS \"zrepl " + ManPage.escape(name));
              }
            });
    assertThat(page)
        .contains(".SS \"zrepl test prune")
        .contains("\\fB\\-\\-mode\\fR")
        .contains("\\fB\\-\\-config\\fR");
  }

  @Test
  void escapesTroffControlCharacters() {
    assertThat(ManPage.escape(".x\n'y\\z -n")).isEqualTo("\\&.x\n\\&'y\\ez \\-n");
  }

  @Test
  void groffRendersThePageWithoutWarnings() throws Exception {
    Assumptions.assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/groff")), "groff is not installed; skipping");
    Path file = dir.resolve("zrepl.8");
    assertThat(Cli.run("genman", file.toString()).code()).isZero();
    Process p =
        new ProcessBuilder("groff", "-man", "-Tutf8", "-ww", "-z", file.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(out).isEmpty();
    assertThat(p.exitValue()).isZero();
  }
}
