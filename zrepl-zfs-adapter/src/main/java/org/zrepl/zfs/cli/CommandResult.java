package org.zrepl.zfs.cli;

import java.util.List;
import java.util.Objects;

/** A finished command: what ran, its exit status and what it printed. */
record CommandResult(List<String> argv, int exitCode, String stdout, String stderr) {

  CommandResult {
    argv = List.copyOf(argv);
    Objects.requireNonNull(stdout, "stdout");
    Objects.requireNonNull(stderr, "stderr");
  }

  boolean ok() {
    return exitCode == 0;
  }

  /**
   * The text to put into an exception: stderr, or stdout when stderr is empty (zfs-fuse's {@code
   * zfs holds} prints its "internal error" to stdout).
   */
  String diagnostics() {
    return stderr.isBlank() ? stdout : stderr;
  }
}
