package org.zrepl.port.zfs;

import java.util.List;

/**
 * ZFS refused or failed. Carries the command line that ran, its exit code and its stderr, so the
 * operator sees exactly what ZFS said. The in-memory fake fills in the command line the real
 * adapter would have run.
 */
public class ZfsException extends RuntimeException {

  private final List<String> argv;
  private final int exitCode;
  private final String stderr;

  public ZfsException(List<String> argv, int exitCode, String stderr) {
    this(argv, exitCode, stderr, null);
  }

  public ZfsException(List<String> argv, int exitCode, String stderr, Throwable cause) {
    super(format(argv, exitCode, stderr), cause);
    this.argv = List.copyOf(argv);
    this.exitCode = exitCode;
    this.stderr = stderr;
  }

  /**
   * {@code first} with {@code next} added as suppressed, or {@code next} when there is no first
   * yet: for trying every dataset or command and then throwing the first failure.
   */
  public static ZfsException first(ZfsException first, ZfsException next) {
    if (first == null) {
      return next;
    }
    first.addSuppressed(next);
    return first;
  }

  private static String format(List<String> argv, int exitCode, String stderr) {
    return "'"
        + String.join(" ", argv)
        + "' exited with status "
        + exitCode
        + (stderr.isBlank() ? "" : ": " + stderr.strip());
  }

  public List<String> argv() {
    return argv;
  }

  public int exitCode() {
    return exitCode;
  }

  public String stderr() {
    return stderr;
  }
}
