package org.zrepl.app.daemon;

/**
 * A job as the daemon runs it, whatever its type. Implementations run on their own thread(s); every
 * method here returns promptly except {@link #stop()}, which waits for the current step. Signals
 * that make no sense for a type throw {@link SignalRefusedException} with the reason.
 */
public interface JobRuntime {

  String name();

  /** The config type: {@code snap}, {@code local}, {@code push}, ... */
  String type();

  /** Starts the job's own loop. Called once. */
  void start();

  /** Stops the loop after the current step and releases the job's threads. */
  void stop();

  /** What the job is doing now; cheap, never blocks on a running step. */
  JobStatus status();

  /** {@code zrepl signal wakeup}: replicate (and prune) now. */
  void wakeup();

  /** {@code zrepl signal reset}: abort the current run. */
  void reset();

  /** {@code zrepl signal snapshot}: take a snapshot round now. */
  void snapshotNow();

  /**
   * Tells {@code listener} (on the job's thread; it must not block) when a task of the job's loop
   * ended with a throwable, so that the loop no longer runs. Called once, before {@link #start()}.
   * Jobs without a loop of their own ignore it.
   */
  default void onDeath(java.util.function.Consumer<Throwable> listener) {}

  /** What {@code /metrics} shows of the job beyond its status; none for most types. */
  default JobMetrics.Snapshot metrics() {
    return JobMetrics.Snapshot.NONE;
  }
}
