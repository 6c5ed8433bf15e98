package org.zrepl.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.zrepl.app.inspect.InspectPlaceholders;
import org.zrepl.app.inspect.InspectPlaceholders.State;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.port.zfs.DatasetNotFoundException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code zrepl test placeholder (--all | --dataset DS)}. */
@Command(
    name = "placeholder",
    mixinStandardHelpOptions = true,
    description = {
      "Show whether datasets are placeholders (zrepl:placeholder=on, set locally): the empty"
          + " filesystems a receiver creates as parents of what it receives.",
      "",
      "Examples:",
      "  zrepl test placeholder --all",
      "  zrepl test placeholder --dataset backup/laptop/pool"
    })
final class TestPlaceholderCommand implements Callable<Integer> {

  static final class Which {
    @Option(names = "--all", required = true, description = "Every dataset on this machine.")
    boolean all;

    @Option(
        names = "--dataset",
        required = true,
        paramLabel = "DATASET",
        description = "One dataset.")
    String dataset;
  }

  @ArgGroup(multiplicity = "1")
  Which which;

  @Spec CommandSpec spec;

  private final ZreplCommand top;

  TestPlaceholderCommand(ZreplCommand top) {
    this.top = top;
  }

  @Override
  public Integer call() {
    DatasetPath dataset = null;
    if (which.dataset != null) {
      try {
        dataset = DatasetPath.of(which.dataset);
      } catch (IllegalArgumentException e) {
        throw new UsageException(spec.commandLine(), "invalid --dataset: " + e.getMessage());
      }
    }
    InspectPlaceholders inspect = top.context().wiring().get().inspectPlaceholders();
    List<State> states;
    try {
      states = dataset == null ? inspect.all() : List.of(inspect.one(dataset));
    } catch (DatasetNotFoundException e) {
      throw new CliException("dataset '" + dataset + "' does not exist");
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println("IS_PLACEHOLDER  DATASET  zrepl:placeholder");
    for (State s : states) {
      String value =
          s.property()
              .map(
                  p ->
                      p.value() + " (" + p.source().name().toLowerCase(java.util.Locale.ROOT) + ")")
              .orElse("-");
      out.println((s.placeholder() ? "yes" : "no") + "  " + s.dataset() + "  " + value);
    }
    return 0;
  }
}
