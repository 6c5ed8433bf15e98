package org.zrepl.zfs.cli;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Starts a command. The seam between {@link CliZfs} and the operating system: the local
 * implementation runs the command here, the ssh one on another host, and tests count or script
 * invocations. {@code argv} is the command as ZFS sees it ({@code zfs list ...}); how it gets there
 * is the launcher's business.
 */
public interface ProcessLauncher {

  /**
   * Starts {@code argv}. Throws {@link IOException} when the command cannot be started at all (for
   * example the binary is missing); a command that starts and fails reports that through {@link
   * LaunchedProcess#waitFor()}.
   */
  LaunchedProcess start(List<String> argv) throws IOException;

  /**
   * Starts {@code first} and {@code second} with {@code first}'s stdout connected to {@code
   * second}'s stdin by a kernel pipe that this process does not hold: {@code first.stdout()} and
   * {@code second.stdin()} are empty. Empty where this launcher cannot (the caller then copies the
   * bytes itself); the default cannot.
   */
  default Optional<Pipeline> startPiped(List<String> first, List<String> second)
      throws IOException {
    return Optional.empty();
  }

  /** Two commands started by {@link #startPiped}. */
  record Pipeline(LaunchedProcess first, LaunchedProcess second) {}
}
