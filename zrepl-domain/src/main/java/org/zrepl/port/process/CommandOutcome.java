package org.zrepl.port.process;

import java.time.Duration;
import java.util.Objects;

/** How a command ended. {@code output} is its stdout and stderr interleaved, possibly truncated. */
public sealed interface CommandOutcome
    permits CommandOutcome.Exited, CommandOutcome.TimedOut, CommandOutcome.NotStarted {

  String output();

  /** Whether the command ran and exited with status 0. */
  default boolean succeeded() {
    return this instanceof Exited e && e.exitCode() == 0;
  }

  /** A short description for logs: {@code exit status 3}, {@code timed out after PT30S}, ... */
  String describe();

  /** The command ran and exited with {@code exitCode}. */
  record Exited(int exitCode, String output) implements CommandOutcome {
    public Exited {
      Objects.requireNonNull(output, "output");
    }

    @Override
    public String describe() {
      return "exit status " + exitCode;
    }
  }

  /** The command was still running after {@code timeout} and was killed. */
  record TimedOut(Duration timeout, String output) implements CommandOutcome {
    public TimedOut {
      Objects.requireNonNull(timeout, "timeout");
      Objects.requireNonNull(output, "output");
    }

    @Override
    public String describe() {
      return "timed out after " + timeout + ", killed";
    }
  }

  /** The command could not be started at all ({@code reason}: e.g. no such file). */
  record NotStarted(String reason) implements CommandOutcome {
    public NotStarted {
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String output() {
      return "";
    }

    @Override
    public String describe() {
      return "could not start: " + reason;
    }
  }
}
