package org.zrepl.cli;

import java.io.PrintWriter;
import java.util.Optional;
import org.zrepl.app.config.Config;
import org.zrepl.app.config.ConfigLoader;
import org.zrepl.app.config.LoadResult;

/** Loading the configuration for a command, reporting problems the same way everywhere. */
final class Configs {

  private Configs() {}

  /** The control socket of a valid config at {@code file}, quietly empty otherwise. */
  static Optional<java.nio.file.Path> socket(java.nio.file.Path file) {
    return ConfigLoader.load(file) instanceof LoadResult.Valid v
        ? Optional.of(v.config().global().controlSockpath())
        : Optional.empty();
  }

  /** The valid configuration, or empty after printing why there is none to {@code err}. */
  static Optional<Config> load(ZreplCommand top, PrintWriter err) {
    LoadResult result = ConfigLoader.load(top.configFile());
    if (result instanceof LoadResult.Valid v) {
      return Optional.of(v.config());
    }
    report(result, err);
    return Optional.empty();
  }

  /** Prints why {@code result} holds no configuration to {@code err}. */
  static void report(LoadResult result, PrintWriter err) {
    if (result instanceof LoadResult.Valid) {
      throw new IllegalArgumentException("a valid configuration has no problems to report");
    }
    if (result instanceof LoadResult.Invalid i) {
      err.print(i.render());
      int n = i.diagnostics().size();
      err.println(n + (n == 1 ? " error" : " errors"));
    } else {
      err.println("zrepl: error: " + ((LoadResult.Unreadable) result).message());
    }
  }
}
