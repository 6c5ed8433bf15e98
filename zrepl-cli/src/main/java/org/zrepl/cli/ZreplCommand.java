package org.zrepl.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
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

  /**
   * The commands without subcommands of their own, by name. Building picocli's model of every
   * command takes longer than most client commands need to run (reflection over each class), so a
   * command line that names one of these gets a tree of just that command.
   */
  private static final Map<String, Function<ZreplCommand, Object>> SIMPLE =
      Map.of(
          "configcheck", ConfigcheckCommand::new,
          "version", VersionCommand::new,
          "daemon", DaemonCommand::new,
          "status", StatusCommand::new,
          "signal", SignalCommand::new,
          "run", RunCommand::new,
          "stdinserver", StdinserverCommand::new);

  /**
   * The command tree for {@code args}: only the named command if it is one of {@link #SIMPLE} (the
   * first word that is neither an option nor {@code --config}'s value, as bin/zrepl finds it), else
   * every command (help, completion, an unknown command's suggestions need them all).
   */
  static CommandLine commandLine(CliContext context, String[] args) {
    String command = null;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config")) {
        i++;
      } else if (!args[i].startsWith("-")) {
        command = args[i];
        break;
      }
    }
    Function<ZreplCommand, Object> only = command == null ? null : SIMPLE.get(command);
    if (only == null) {
      return commandLine(context);
    }
    ZreplCommand top = new ZreplCommand(context);
    CommandLine cl = new CommandLine(top);
    cl.addSubcommand(only.apply(top));
    return withErrorHandler(cl);
  }

  static CommandLine commandLine(CliContext context) {
    ZreplCommand top = new ZreplCommand(context);
    CommandLine cl = new CommandLine(top);
    ORDER.forEach(name -> cl.addSubcommand(SIMPLE.get(name).apply(top)));
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
    return withErrorHandler(cl);
  }

  /** The order of the commands in the help text. */
  private static final List<String> ORDER =
      List.of("configcheck", "version", "daemon", "status", "signal", "run", "stdinserver");

  private static CommandLine withErrorHandler(CommandLine cl) {
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
