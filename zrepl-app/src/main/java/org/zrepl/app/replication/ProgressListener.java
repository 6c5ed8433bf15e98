package org.zrepl.app.replication;

/**
 * Receives {@link ProgressEvent}s. Must be thread-safe when {@code concurrencySteps > 1}; must not
 * block for long, and should not throw (an exception is not caught and ends the run's worker).
 */
@FunctionalInterface
public interface ProgressListener {

  void on(ProgressEvent event);

  static ProgressListener none() {
    return e -> {};
  }
}
