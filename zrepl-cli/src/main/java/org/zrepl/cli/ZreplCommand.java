package org.zrepl.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.zrepl.cli.Main.CliContext;
import org.zrepl.port.zfs.ZfsException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** {@code zrepl}: the top-level command; {@code --config} is accepted on every subcommand. */
@Command(
    name = "zrepl",
    mixinStandardHelpOptions = true,
    versionProvider = VersionCommand.Provider.class,
    description = "ZFS snapshot management and replication.",
    synopsisSubcommandLabel = "COMMAND")
final class ZreplCommand implements Runnable {

  @Option(
      names = "--config",
      paramLabel = "FILE",
      scope = ScopeType.INHERIT,
      description =
          "Configuration file (default: /etc/zrepl/zrepl.yml, then /usr/local/etc/zrepl/zrepl.yml).")
  Path config;

  @Spec CommandSpec spec;

  private final CliContext context;

  ZreplCommand(CliContext context) {
    this.context = context;
  }

  static CommandLine commandLine(CliContext context) {
    ZreplCommand top = new ZreplCommand(context);
    CommandLine cl = new CommandLine(top);
    cl.addSubcommand(new ConfigcheckCommand(top));
    cl.addSubcommand(new VersionCommand(top));
    cl.addSubcommand(new DaemonCommand(top));
    cl.addSubcommand(new StatusCommand(top));
    cl.addSubcommand(new SignalCommand(top));
    cl.addSubcommand(new RunCommand(top));
    cl.addSubcommand(new StdinserverCommand(top));
    cl.addSubcommand(new GencompletionCommand());
    cl.addSubcommand(new GenmanCommand());
    CommandLine test = new CommandLine(new TestCommand());
    test.addSubcommand(new TestFilesystemsCommand(top));
    test.addSubcommand(new TestPlaceholderCommand(top));
    test.addSubcommand(new TestPruneCommand(top));
    test.addSubcommand(new TestDecodeResumeTokenCommand(top));
    cl.addSubcommand("test", test);
    CommandLine abstraction = new CommandLine(new ZfsAbstractionCommand());
    abstraction.addSubcommand(new ZfsAbstractionListCommand(top));
    abstraction.addSubcommand(new ZfsAbstractionReleaseCommand.Stale(top));
    abstraction.addSubcommand(new ZfsAbstractionReleaseCommand.All(top));
    CommandLine create = new CommandLine(new ZfsAbstractionCreateCommand());
    create.addSubcommand(new ZfsAbstractionCreateCommand.Step(top));
    abstraction.addSubcommand("create", create);
    cl.addSubcommand("zfs-abstraction", abstraction);
    cl.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          if (e instanceof CliException || e instanceof ZfsException) {
            commandLine.getErr().println("zrepl: error: " + e.getMessage());
            return 1;
          }
          throw e;
        });
    return cl;
  }

  CliContext context() {
    return context;
  }

  /**
   * The configuration file: {@code --config} if given (before or after the subcommand), else the
   * first default location that exists.
   */
  Path configFile() {
    if (config != null) {
      return config;
    }
    for (Path p : context.defaultConfigLocations()) {
      if (Files.exists(p)) {
        return p;
      }
    }
    throw new CliException(
        "no configuration file: none given with --config and none at "
            + String.join(
                ", ", context.defaultConfigLocations().stream().map(Path::toString).toList()));
  }

  /** The configuration file if one is given or exists at a default location. */
  java.util.Optional<Path> configFileIfAny() {
    try {
      return java.util.Optional.of(configFile());
    } catch (CliException none) {
      return java.util.Optional.empty();
    }
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
  }
}
