package org.zrepl.cli;

import java.util.Optional;
import java.util.concurrent.Callable;
import org.zrepl.app.config.Config;
import org.zrepl.app.config.ConfigRenderer;
import org.zrepl.app.config.PrettyPrinter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code zrepl configcheck}: silent with exit code 0 for a valid configuration. */
@Command(
    name = "configcheck",
    mixinStandardHelpOptions = true,
    description = {
      "Check the configuration. Prints nothing and exits 0 if it is valid; otherwise prints every"
          + " problem and exits 1.",
    })
final class ConfigcheckCommand implements Callable<Integer> {

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      description = "Also print the parsed configuration: pretty, yaml or json.")
  String format;

  @Spec CommandSpec spec;

  private final ZreplCommand top;

  ConfigcheckCommand(ZreplCommand top) {
    this.top = top;
  }

  @Override
  public Integer call() {
    if (format != null
        && !format.equals("pretty")
        && !format.equals("yaml")
        && !format.equals("json")) {
      throw new UsageException(
          spec.commandLine(),
          "Invalid value for option '--format': expected pretty, yaml or json, got '"
              + format
              + "'");
    }
    Optional<Config> config = Configs.load(top, spec.commandLine().getErr());
    if (config.isEmpty()) {
      return 1;
    }
    if (format != null) {
      String text =
          switch (format) {
            case "yaml" -> ConfigRenderer.yaml(config.get());
            case "json" -> ConfigRenderer.json(config.get());
            default -> PrettyPrinter.print(config.get());
          };
      spec.commandLine().getOut().print(text);
    }
    return 0;
  }
}
