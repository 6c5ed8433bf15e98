package org.zrepl.cli;

/** A failure to report as {@code zrepl: error: message} with exit code 1. */
final class CliException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  CliException(String message) {
    super(message);
  }

  CliException(String message, Throwable cause) {
    super(message, cause);
  }
}
