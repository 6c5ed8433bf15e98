package org.zrepl.app.daemon;

import java.util.List;

/**
 * A configured job that could not be built, or whose loop died and waits for its restart ({@link
 * Daemon}); it shows its error in the status and runs nothing.
 */
record FailedJob(String name, String type, String error) implements JobRuntime {

  @Override
  public void start() {}

  @Override
  public void stop() {}

  @Override
  public JobStatus status() {
    return new JobStatus(name, type, "failed", "", "", List.of(error), List.of());
  }

  @Override
  public void wakeup() {
    throw refused();
  }

  @Override
  public void reset() {
    throw refused();
  }

  @Override
  public void snapshotNow() {
    throw refused();
  }

  private SignalRefusedException refused() {
    return new SignalRefusedException(
        "job '" + name + "' " + (error.startsWith("died") ? "" : "did not start: ") + error);
  }
}
