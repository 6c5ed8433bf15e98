package org.zrepl.port.process;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One command to run.
 *
 * @param argv the executable (an absolute path) followed by its arguments
 * @param environment variables added to the runner's own environment
 * @param timeout after this long the command is killed and the outcome is {@link
 *     CommandOutcome.TimedOut}
 */
public record CommandRequest(List<String> argv, Map<String, String> environment, Duration timeout) {

  public CommandRequest {
    argv = List.copyOf(argv);
    environment = Map.copyOf(environment);
    Objects.requireNonNull(timeout, "timeout");
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("argv must not be empty");
    }
    if (timeout.isZero() || timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must be positive, got " + timeout);
    }
  }
}
