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
import picocli.CommandLine.Spec;

/** {@code zrepl version}. */
@Command(name = "version", mixinStandardHelpOptions = true, description = "Print the version.")
final class VersionCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  private final ZreplCommand top;

  VersionCommand(ZreplCommand top) {
    this.top = top;
  }

  /**
   * Prints the client's version and, when a daemon answers on the configured control socket, the
   * daemon's; a missing config or daemon is not an error.
   */
  @Override
  public Integer call() {
    java.io.PrintWriter out = spec.commandLine().getOut();
    out.println("client: " + line());
    daemonLine().ifPresent(l -> out.println("daemon: " + l));
    return 0;
  }

  private java.util.Optional<String> daemonLine() {
    java.util.Optional<java.nio.file.Path> socket = top.configFileIfAny().flatMap(Configs::socket);
    if (socket.isEmpty() || !new ControlClient(socket.get()).socketExists()) {
      return java.util.Optional.empty();
    }
    try {
      com.fasterxml.jackson.databind.JsonNode n =
          Daemons.call(socket.get(), ControlRequest.of("version"));
      return java.util.Optional.of(
          "zrepl-jvm " + n.path("version").asText() + " (java " + n.path("java").asText() + ")");
    } catch (CliException e) {
      return java.util.Optional.of("not reachable: " + e.getMessage());
    }
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
