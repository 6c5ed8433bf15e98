package org.zrepl.port.process;

/**
 * Runs an executable to completion and returns how it ended. Failing to start, a non-zero exit and
 * a timeout are outcomes, not exceptions: the caller decides what a failure means.
 */
public interface CommandRunner {

  /** Runs the command; blocks at most about {@link CommandRequest#timeout()}. */
  CommandOutcome run(CommandRequest request);
}
