package org.zrepl.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.zrepl.port.transport.control.ControlRequest;
import org.zrepl.transport.control.ControlClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code zrepl version [--show client|daemon]}. */
@Command(
    name = "version",
    mixinStandardHelpOptions = true,
    description = {
      "Print the version of this zrepl binary (client) and of the daemon that answers on the"
          + " configured control socket. Without --show a daemon that does not answer is left out"
          + " (not an error), and a daemon of another version gets a warning on stderr: restart it"
          + " after an upgrade.",
      "",
      "Examples:",
      "  zrepl version",
      "  zrepl version --show daemon    # exit 1 if the daemon does not answer"
    })
final class VersionCommand implements Callable<Integer> {

  enum Show {
    client,
    daemon
  }

  @Option(
      names = "--show",
      paramLabel = "WHAT",
      description =
          "Only this version: client (this binary; asks nobody) or daemon (asks the daemon; an"
              + " error if it does not answer).")
  Show show;

  @Spec CommandSpec spec;

  private final ZreplCommand top;

  VersionCommand(ZreplCommand top) {
    this.top = top;
  }

  @Override
  public Integer call() {
    java.io.PrintWriter out = spec.commandLine().getOut();
    if (show == Show.client) {
      out.println("client: " + line());
      return 0;
    }
    if (show == Show.daemon) {
      com.fasterxml.jackson.databind.JsonNode n =
          Daemons.call(Daemons.socket(top), ControlRequest.of("version"));
      out.println("daemon: " + daemonLine(n));
      return 0;
    }
    out.println("client: " + line());
    daemonIfAny()
        .ifPresent(
            n -> {
              out.println("daemon: " + daemonLine(n));
              String daemonVersion = n.path("version").asText();
              if (!daemonVersion.equals(version())) {
                spec.commandLine()
                    .getErr()
                    .println(
                        "zrepl: warning: client version "
                            + version()
                            + " != daemon version "
                            + daemonVersion
                            + ", restart the zrepl daemon");
              }
            });
    return 0;
  }

  /**
   * The daemon's answer when a config names a control socket that exists; a missing config or
   * socket is not an error here (the plain {@code zrepl version} works before the daemon starts).
   */
  private java.util.Optional<com.fasterxml.jackson.databind.JsonNode> daemonIfAny() {
    java.util.Optional<java.nio.file.Path> socket = top.configFileIfAny().flatMap(Configs::socket);
    if (socket.isEmpty() || !new ControlClient(socket.get()).socketExists()) {
      return java.util.Optional.empty();
    }
    try {
      return java.util.Optional.of(Daemons.call(socket.get(), ControlRequest.of("version")));
    } catch (CliException e) {
      spec.commandLine().getOut().println("daemon: not reachable: " + e.getMessage());
      return java.util.Optional.empty();
    }
  }

  private static String daemonLine(com.fasterxml.jackson.databind.JsonNode n) {
    return "zrepl-jvm " + n.path("version").asText() + " (java " + n.path("java").asText() + ")";
  }

  /** {@code zrepl-jvm VERSION (java JAVA_VERSION)}; the version comes from the build. */
  static String line() {
    return "zrepl-jvm " + version() + " (java " + System.getProperty("java.version") + ")";
  }

  static String version() {
    Properties p = new Properties();
    try (InputStream in = VersionCommand.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      return "unknown";
    }
    return p.getProperty("version", "unknown");
  }

  /** For {@code zrepl --version}. */
  static final class Provider implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {line()};
    }
  }
}
