package org.zrepl.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.zrepl.app.config.Config;
import org.zrepl.app.config.Job;
import org.zrepl.app.prune.PruneDryRun;
import org.zrepl.app.prune.PruneSide;
import org.zrepl.app.prune.PruneTargets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code zrepl test prune --job J [--side sender|receiver|local]}: a dry run of pruning. */
@Command(
    name = "prune",
    mixinStandardHelpOptions = true,
    description = "Show which snapshots pruning would keep or destroy now; destroys nothing.")
final class TestPruneCommand implements Callable<Integer> {

  @Option(names = "--job", required = true, paramLabel = "JOB", description = "The job to test.")
  String job;

  @Option(
      names = "--side",
      paramLabel = "SIDE",
      description = "sender, receiver or local (default: the job's side on this machine).")
  String side;

  @Spec CommandSpec spec;

  private final ZreplCommand top;

  TestPruneCommand(ZreplCommand top) {
    this.top = top;
  }

  @Override
  public Integer call() {
    Optional<PruneSide> requested = Optional.empty();
    if (side != null) {
      try {
        requested = Optional.of(PruneSide.valueOf(side.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new UsageException(
            spec.commandLine(),
            "invalid --side '" + side + "': expected sender, receiver or local");
      }
    }
    Optional<Config> config = Configs.load(top, spec.commandLine().getErr());
    if (config.isEmpty()) {
      return 1;
    }
    Job j = Jobs.find(config.get(), job, spec.commandLine());
    PruneSide s = requested.orElse(PruneTargets.defaultSide(j));
    PrintWriter out = spec.commandLine().getOut();
    try {
      new PruneDryRun(top.context().zfs().get()).run(j, s).forEach(out::println);
    } catch (IllegalArgumentException e) {
      throw new UsageException(spec.commandLine(), e.getMessage());
    }
    return 0;
  }
}
