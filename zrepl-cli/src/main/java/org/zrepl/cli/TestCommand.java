package org.zrepl.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code zrepl test}: offline checks of how the configuration applies to this machine. */
@Command(
    name = "test",
    mixinStandardHelpOptions = true,
    description = {
      "Try out parts of the configuration against this machine's datasets; nothing is changed:",
      "  filesystems        which datasets a job selects",
      "  placeholder        which datasets are placeholders",
      "  prune              what pruning would destroy",
      "  decoderesumetoken  what an interrupted receive's resume token continues",
      "",
      "Examples:",
      "  zrepl test filesystems --job backup --all",
      "  zrepl test prune --job backup --side receiver",
      "  zrepl test decoderesumetoken --token \"$(zfs get -H -o value receive_resume_token"
          + " backup/data)\""
    },
    synopsisSubcommandLabel = "COMMAND")
final class TestCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
  }
}
