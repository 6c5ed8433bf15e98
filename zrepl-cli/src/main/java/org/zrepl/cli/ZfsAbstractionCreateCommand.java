package org.zrepl.cli;

import java.util.concurrent.Callable;
import org.zrepl.app.abstraction.Abstraction;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.port.zfs.UnsupportedZfsFeatureException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code zrepl zfs-abstraction create step}: zrepl's debugging aid, kept with its flags. */
@Command(
    name = "create",
    mixinStandardHelpOptions = true,
    description = {
      "Create zrepl's abstractions by hand (for debugging and development; users should not"
          + " need it).",
      "",
      "Example:",
      "  zrepl zfs-abstraction create step -t pool/data@zrepl_20260101_000000_000 -j backup"
    },
    synopsisSubcommandLabel = "COMMAND")
final class ZfsAbstractionCreateCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
  }

  /** {@code create step -t FS@SNAP -j JOB}. */
  @Command(
      name = "step",
      mixinStandardHelpOptions = true,
      description = {
        "Hold a snapshot with a job's step hold (zrepl_STEP_J_<job>), as a running step would;"
            + " nothing happens if it is already held so. Prints the hold. Release it with"
            + " 'zfs release' or 'zrepl zfs-abstraction release-all --job JOB --type step-hold"
            + " --fs FS'.",
        "Needs no configuration; refused on a ZFS without holds (zfs-fuse).",
        "",
        "Example:",
        "  zrepl zfs-abstraction create step -t pool/data@zrepl_20260101_000000_000 -j backup"
      })
  static final class Step implements Callable<Integer> {

    @Option(
        names = {"-t", "--target"},
        required = true,
        paramLabel = "FS@SNAPSHOT",
        description = "The snapshot to hold (a bookmark cannot be held).")
    String target;

    @Option(
        names = {"-j", "--jobid"},
        required = true,
        paramLabel = "JOB",
        description = "The job id the hold is for.")
    String jobId;

    @Spec CommandSpec spec;

    private final ZreplCommand top;

    Step(ZreplCommand top) {
      this.top = top;
    }

    @Override
    public Integer call() {
      int at = target.indexOf('@');
      if (at < 0) {
        throw new UsageException(
            spec.commandLine(),
            "invalid --target '"
                + target
                + "': expected a snapshot FS@SNAPSHOT"
                + (target.contains("#") ? " (a bookmark cannot be held)" : ""));
      }
      DatasetPath fs;
      try {
        fs = DatasetPath.of(target.substring(0, at));
      } catch (IllegalArgumentException e) {
        throw new UsageException(spec.commandLine(), "invalid --target: " + e.getMessage());
      }
      Abstraction held;
      try {
        held =
            top.context()
                .wiring()
                .get()
                .abstractions()
                .holdStep(fs, target.substring(at + 1), jobId);
      } catch (IllegalArgumentException e) {
        throw new UsageException(spec.commandLine(), "invalid --jobid: " + e.getMessage());
      } catch (UnsupportedZfsFeatureException e) {
        throw new CliException("cannot create a step hold: " + e.getMessage());
      }
      spec.commandLine().getOut().println(held);
      return 0;
    }
  }
}
