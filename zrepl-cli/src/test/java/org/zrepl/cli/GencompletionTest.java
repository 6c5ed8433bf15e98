package org.zrepl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GencompletionTest {

  @TempDir Path dir;

  @Test
  void bashScriptCompletesCommandsSubcommandsAndOptionsInARealBash() throws Exception {
    Cli r = Cli.run("gencompletion", "bash");
    assertThat(r.code()).isZero();
    Path script = dir.resolve("zrepl.bash");
    Files.writeString(script, r.out());

    assertThat(complete(script, "zrepl", "st")).contains("status", "stdinserver");
    assertThat(complete(script, "zrepl", "test", "pr")).containsExactly("prune");
    assertThat(complete(script, "zrepl", "status", "--m")).contains("--mode");
    assertThat(complete(script, "zrepl", "signal", "--")).contains("--help");
    // hidden commands are not offered
    assertThat(complete(script, "zrepl", "gen")).containsExactly("gencompletion");
  }

  /**
   * The zsh file completes in a real interactive zsh (driven through zpty): {@code zrepl tes<TAB>}
   * becomes {@code zrepl test }, then {@code pr<TAB>} becomes {@code prune }.
   */
  @Test
  void zshFileCompletesInARealInteractiveZsh() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/zsh")), "zsh is not installed; skipping");
    Path fpath = Files.createDirectories(dir.resolve("fpath"));
    assertThat(Cli.run("gencompletion", "zsh", fpath.resolve("_zrepl").toString()).code()).isZero();
    String driver =
        "zmodload zsh/zpty\n"
            + "zpty z 'zsh -f -i'\n"
            + "zpty -w z 'PS1=\"> \"; fpath=("
            + fpath
            + " $fpath); autoload -U compinit; compinit -u; zrepl() { :; }'\n"
            + "sleep 1\n"
            + "zpty -w -n z $'zrepl tes\\t'\n"
            + "sleep 2\n"
            + "zpty -w -n z $'pr\\t'\n"
            + "sleep 2\n"
            + "all=''\n"
            + "while zpty -r -t z chunk; do all+=$chunk; done\n"
            + "print -r -- \"$all\"\n"
            + "zpty -d z\n";
    Path script = dir.resolve("drive.zsh");
    Files.writeString(script, driver);
    Process p =
        new ProcessBuilder("zsh", "-f", script.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String screen = out.replaceAll("\u001b\\[[0-9;?]*[A-Za-z]", "").replace("\b", "");
    assertThat(screen).contains("zrepl test").contains("prune").doesNotContain("not found");
  }

  @Test
  void writesTheScriptToTheGivenFile() throws Exception {
    Path file = dir.resolve("out");
    Cli r = Cli.run("gencompletion", "zsh", file.toString());
    assertThat(r.code()).isZero();
    assertThat(r.out()).isEmpty();
    String zsh = Files.readString(file);
    assertThat(zsh).startsWith("#compdef zrepl\n").contains("bashcompinit", "_complete_zrepl");
  }

  @Test
  void unknownShellIsAUsageError() {
    Cli r = Cli.run("gencompletion", "fish");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("fish").contains("bash, zsh");
  }

  @Test
  void unwritableFileIsAnErrorNamingTheFile() {
    Path file = dir.resolve("no/such/dir/_zrepl");
    Cli r = Cli.run("gencompletion", "bash", file.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains(file.toString());
  }

  /** What bash offers for the last word of {@code words}, using the generated function. */
  private List<String> complete(Path script, String... words)
      throws IOException, InterruptedException {
    String w = String.join(" ", words);
    String program =
        "source '"
            + script
            + "'\n"
            + "COMP_WORDS=("
            + w
            + ")\nCOMP_CWORD="
            + (words.length - 1)
            + "\nCOMP_LINE='"
            + w
            + "'\nCOMP_POINT=${#COMP_LINE}\n"
            + "_complete_zrepl zrepl '"
            + words[words.length - 1]
            + "' '"
            + words[words.length - 2]
            + "'\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n";
    Process p =
        new ProcessBuilder("bash", "--norc", "--noprofile", "-c", program)
            // compopt complains outside a real completion; that is not the function's output
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out.lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
  }
}
