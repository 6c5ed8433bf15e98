package org.zrepl.zfs.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Runs commands on another host through {@code ssh -F <config> <host> '<arg>' '<arg>' ...}. ssh
 * joins its trailing arguments into one remote shell command, so every argument is single-quoted
 * here ({@link #shellQuote(String)}) and reaches the remote {@code zfs} byte for byte.
 */
public final class SshProcessLauncher implements ProcessLauncher {

  private final String sshBinary;
  private final Path config;
  private final String host;
  private final ProcessLauncher local;

  public SshProcessLauncher(Path config, String host) {
    this("ssh", config, host, new LocalProcessLauncher());
  }

  SshProcessLauncher(String sshBinary, Path config, String host, ProcessLauncher local) {
    this.sshBinary = Objects.requireNonNull(sshBinary, "sshBinary");
    this.config = Objects.requireNonNull(config, "config");
    this.local = Objects.requireNonNull(local, "local");
    if (host == null || host.isEmpty() || host.startsWith("-") || host.matches(".*\\s.*")) {
      throw new IllegalArgumentException(
          "ssh host must be non-empty, not start with '-' and contain no whitespace, got '"
              + host
              + "'");
    }
    this.host = host;
  }

  @Override
  public LaunchedProcess start(List<String> argv) throws IOException {
    return local.start(wrap(argv));
  }

  /** The local command line that runs {@code argv} on the remote host. */
  List<String> wrap(List<String> argv) {
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("argv must not be empty");
    }
    List<String> out = new ArrayList<>(List.of(sshBinary, "-F", config.toString(), host));
    out.add(remoteCommand(argv));
    return out;
  }

  /** One POSIX shell command line that runs exactly {@code argv}. */
  static String remoteCommand(List<String> argv) {
    StringBuilder sb = new StringBuilder();
    for (String arg : argv) {
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(shellQuote(arg));
    }
    return sb.toString();
  }

  /**
   * Quotes {@code s} for a POSIX shell: inside single quotes nothing is special except the single
   * quote itself, which is written as {@code '\''} (close, escaped quote, reopen).
   */
  static String shellQuote(String s) {
    if (s.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("argument contains a NUL character: '" + s + "'");
    }
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
