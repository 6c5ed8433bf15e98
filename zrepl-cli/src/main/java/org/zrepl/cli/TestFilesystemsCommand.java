package org.zrepl.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.zrepl.app.config.Config;
import org.zrepl.app.config.Job;
import org.zrepl.app.inspect.InspectFilesystems;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.dataset.Decision;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code zrepl test filesystems --job J (--all | --input DATASET)}. */
@Command(
    name = "filesystems",
    mixinStandardHelpOptions = true,
    description = {
      "Show which datasets a job's filesystems filter or mapping selects, one line per dataset."
          + " Changes nothing.",
      "",
      "Examples:",
      "  zrepl test filesystems --job backup --all",
      "  zrepl test filesystems --job backup --input pool/data/vm-101"
    })
final class TestFilesystemsCommand implements Callable<Integer> {

  @Option(names = "--job", required = true, paramLabel = "JOB", description = "The job to test.")
  String job;

  static final class Which {
    @Option(names = "--all", required = true, description = "Every dataset on this machine.")
    boolean all;

    @Option(
        names = "--input",
        required = true,
        paramLabel = "DATASET",
        description = "One dataset name (need not exist).")
    String input;
  }

  @ArgGroup(multiplicity = "1")
  Which which;

  @Spec CommandSpec spec;

  private final ZreplCommand top;

  TestFilesystemsCommand(ZreplCommand top) {
    this.top = top;
  }

  @Override
  public Integer call() {
    DatasetPath input = null;
    if (which.input != null) {
      try {
        input = DatasetPath.of(which.input);
      } catch (IllegalArgumentException e) {
        throw new UsageException(spec.commandLine(), "invalid --input: " + e.getMessage());
      }
    }
    Optional<Config> config = Configs.load(top, spec.commandLine().getErr());
    if (config.isEmpty()) {
      return 1;
    }
    Job j = Jobs.find(config.get(), job, spec.commandLine());
    try {
      InspectFilesystems.selectorOf(j);
    } catch (IllegalArgumentException e) {
      throw new UsageException(spec.commandLine(), e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    if (input != null) {
      out.println(top.context().wiring().get().inspectFilesystems().one(j, input).describe());
      return 0;
    }
    List<Decision> decisions;
    try {
      decisions = top.context().wiring().get().inspectFilesystems().all(j);
    } catch (IllegalArgumentException e) {
      throw new UsageException(spec.commandLine(), e.getMessage());
    }
    decisions.forEach(d -> out.println(d.describe()));
    return 0;
  }
}
