package org.zrepl.zfs.cli;

import java.io.IOException;
import java.util.List;

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
}
