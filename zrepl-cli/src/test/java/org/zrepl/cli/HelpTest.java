package org.zrepl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command a user can type has a {@code --help} they can act on: it exits 0 without a
 * configuration or a daemon, says what the command does, lists its options and shows an example.
 */
class HelpTest {

  /** Every visible command path, e.g. {@code [zfs-abstraction, release-stale]}. */
  private static List<List<String>> commands(CommandLine c, List<String> prefix) {
    List<List<String>> out = new ArrayList<>();
    c.getSubcommands()
        .forEach(
            (name, sub) -> {
              if (sub.getCommandSpec().usageMessage().hidden()
                  || !sub.getCommandName().equals(name)) {
                return; // hidden, or an alias of a command already listed
              }
              List<String> path = new ArrayList<>(prefix);
              path.add(name);
              out.add(path);
              out.addAll(commands(sub, path));
            });
    return out;
  }

  @Test
  void everyCommandHasHelpWithADescriptionAndAnExample() {
    List<List<String>> all = commands(ZreplCommand.commandLine(null), List.of());
    assertThat(all)
        .as("the tree is walked, subcommands included")
        .contains(
            List.of("status"),
            List.of("signal"),
            List.of("zfs-abstraction", "release-stale"),
            List.of("test", "decoderesumetoken"),
            List.of("gencompletion"),
            List.of("configcheck"),
            List.of("version"));
    SoftAssertions soft = new SoftAssertions();
    for (List<String> path : all) {
      List<String> argv = new ArrayList<>(path);
      argv.add("--help");
      Cli r = Cli.run(argv.toArray(String[]::new));
      String what = "zrepl " + String.join(" ", path) + " --help";
      soft.assertThat(r.code()).as("%s exits 0: %s", what, r.err()).isZero();
      soft.assertThat(r.out())
          .as("%s", what)
          .startsWith("Usage: zrepl " + String.join(" ", path))
          .containsIgnoringCase("example");
      soft.assertThat(r.out().lines().skip(1).filter(l -> !l.isBlank()).count())
          .as("%s says more than its usage line", what)
          .isGreaterThan(2);
    }
    soft.assertAll();
  }
}
