package org.zrepl.cli;

import picocli.CommandLine;

/** A usage error found after picocli parsed the arguments (exit code 2, like picocli's own). */
final class UsageException extends CommandLine.ParameterException {

  private static final long serialVersionUID = 1L;

  UsageException(CommandLine cl, String message) {
    super(cl, message);
  }
}
