package org.zrepl.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.zrepl.app.config.Config;
import org.zrepl.app.config.Job;
import org.zrepl.app.config.Target;
import org.zrepl.app.prune.PruneDryRun;
import org.zrepl.app.prune.PruneSide;
import org.zrepl.app.prune.PruneTargets;
import org.zrepl.app.remote.DryRunPeers;
import org.zrepl.port.endpoint.EndpointException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code zrepl test prune --job J [--side sender|receiver|local]}: a dry run of pruning. */
@Command(
    name = "prune",
    mixinStandardHelpOptions = true,
    description = {
      "Show which snapshots pruning would keep or destroy now; destroys nothing. Run it before"
          + " changing keep rules.",
      "",
      "Examples:",
      "  zrepl test prune --job backup                  # the sender side",
      "  zrepl test prune --job backup --side receiver  # asks the sink or source"
    })
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
      if ((j instanceof Job.Push || j instanceof Job.Pull) && s != PruneSide.LOCAL) {
        throughPeer(config.get(), j, s).forEach(out::println);
      } else {
        top.context().wiring().get().pruneDryRun().run(j, s).forEach(out::println);
      }
    } catch (IllegalArgumentException e) {
      throw new UsageException(spec.commandLine(), e.getMessage());
    }
    return 0;
  }

  /**
   * A push or pull job's side through both its endpoints, as the job prunes it. If the peer cannot
   * be reached, a side that is on this machine is shown from its ZFS alone (the incremental base
   * unknown, so unprotected in the listing); the other side cannot be shown.
   */
  private List<String> throughPeer(Config config, Job j, PruneSide s) {
    String reason;
    try (DryRunPeers peers = top.context().wiring().get().activeSides().dryRun(config, j)) {
      return PruneDryRun.run(j, s, peers.sender(), peers.receiver(), peers.describe());
    } catch (EndpointException | IOException e) {
      reason = e.getMessage();
    }
    boolean here =
        (j instanceof Job.Push && s == PruneSide.SENDER)
            || (j instanceof Job.Pull p
                && s == PruneSide.RECEIVER
                && p.target() instanceof Target.RootFs);
    if (!here) {
      throw new CliException(
          "cannot show the "
              + s.word()
              + " side of job '"
              + j.name()
              + "': it is listed through the job's connection, and "
              + reason
              + " (is the peer's daemon running?)");
    }
    PrintWriter err = spec.commandLine().getErr();
    err.println(
        "zrepl: warning: "
            + reason
            + "; showing this machine's side alone: the incremental base is not known, so it"
            + " is not protected in this listing (the job protects it when it prunes)");
    err.flush();
    return top.context().wiring().get().pruneDryRun().run(j, s);
  }
}
