package org.zrepl.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.zrepl.app.config.Config;
import org.zrepl.app.config.ConfigLoader;
import org.zrepl.app.config.ConfigRenderer;
import org.zrepl.app.config.LoadResult;
import org.zrepl.app.config.PrettyPrinter;
import org.zrepl.app.config.TlsCheck;
import org.zrepl.transport.tls.TlsFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code zrepl configcheck}: silent with exit code 0 for a valid configuration. Like zrepl's, it
 * reads what the daemon would build from the configuration: the PEM files of every {@code tls}
 * transport and logging outlet are loaded and checked (readable, the key matching the certificate,
 * the certificate valid now); {@code --skip-cert-check} skips the jobs' files, as zrepl's does.
 */
@Command(
    name = "configcheck",
    mixinStandardHelpOptions = true,
    description = {
      "Check the configuration as the daemon would read it: every key, and the certificate, key"
          + " and CA files of tls transports (connect, serve) and tls logging outlets. Prints"
          + " nothing and exits 0 if it is valid; otherwise prints every problem as"
          + " file:line:col and exits 1. Nothing is bound, connected or started.",
      "",
      "Examples:",
      "  zrepl configcheck --config /etc/zrepl/zrepl.yml",
      "  zrepl configcheck --format yaml --what jobs    # the jobs with every default spelt out",
      "  zrepl configcheck --skip-cert-check            # certificates not deployed here yet"
    })
final class ConfigcheckCommand implements Callable<Integer> {

  enum What {
    all,
    config,
    jobs,
    logging
  }

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      description = "Also print the parsed configuration: pretty, yaml or json.")
  String format;

  @Option(
      names = "--what",
      paramLabel = "WHAT",
      defaultValue = "all",
      description =
          "What --format prints: all (the whole configuration), config (the same), jobs (the"
              + " jobs section) or logging (global.logging). Default: ${DEFAULT-VALUE}.")
  What what;

  @Option(
      names = "--skip-cert-check",
      description =
          "Do not read the certificate, key and CA files of the jobs' tls transports (as zrepl,"
              + " the files of tls logging outlets are still read).")
  boolean skipCertCheck;

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
    PrintWriter err = spec.commandLine().getErr();
    LoadResult result = ConfigLoader.load(top.configFile(), tlsCheck());
    if (!(result instanceof LoadResult.Valid valid)) {
      Configs.report(result, err);
      return 1;
    }
    if (format != null) {
      spec.commandLine().getOut().print(render(valid.config()));
    }
    return 0;
  }

  private TlsCheck tlsCheck() {
    return (where, ca, cert, key) -> {
      if (skipCertCheck && !where.equals("logging")) {
        return;
      }
      TlsFiles.load(ca, cert, key, top.context().clock());
    };
  }

  private String render(Config config) {
    Map<String, Object> tree = ConfigRenderer.tree(config);
    Object part =
        switch (what) {
          case all, config -> tree;
          case jobs -> tree.get("jobs");
          case logging -> ((Map<?, ?>) tree.get("global")).get("logging");
        };
    return switch (format) {
      case "yaml" -> ConfigRenderer.yamlOf(part);
      case "json" -> ConfigRenderer.jsonOf(part);
      default ->
          PrettyPrinter.printValue(
              switch (what) {
                case all, config -> config;
                case jobs -> config.jobs();
                case logging -> List.copyOf(config.global().logging());
              });
    };
  }
}
