package org.zrepl.app.replication;

import java.util.OptionalLong;
import java.util.Set;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.port.endpoint.Guarantee;
import org.zrepl.port.endpoint.SendStepResponse;

/**
 * What the engine reports while it runs, for logs and the daemon's status. Steps are numbered from
 * 1. Events of one filesystem arrive in order; events of different filesystems may interleave (and
 * arrive on different threads when {@code concurrencySteps > 1}).
 */
public sealed interface ProgressEvent {

  /** Listing and planning are done. */
  record RunStarted(int filesystems, Set<Guarantee> guaranteesOff) implements ProgressEvent {
    public RunStarted {
      guaranteesOff = Set.copyOf(guaranteesOff);
    }
  }

  /** A filesystem's plan; {@code steps} is 0 for up-to-date and conflicting ones. */
  record Planned(DatasetPath filesystem, String plan, int steps) implements ProgressEvent {}

  /** A filesystem's state changed. */
  record StateChanged(DatasetPath filesystem, FilesystemState state) implements ProgressEvent {}

  /** A step (attempt) starts; {@code snapshots} is e.g. {@code @a -> @b}. */
  record StepStarted(
      DatasetPath filesystem, int step, int steps, String snapshots, boolean resumed, int attempt)
      implements ProgressEvent {}

  /**
   * The sender answered a step's send: its stream is about to flow. {@code encryption} says whether
   * it is an encrypted raw send (zrepl marks such a step {@code encrypted=yes}).
   */
  record StreamOpened(
      DatasetPath filesystem, int step, int steps, SendStepResponse.Encryption encryption)
      implements ProgressEvent {}

  /** Bytes of the current step so far. */
  record BytesSent(DatasetPath filesystem, int step, int steps, long bytes, OptionalLong expected)
      implements ProgressEvent {}

  record StepCompleted(DatasetPath filesystem, int step, int steps, long bytes)
      implements ProgressEvent {}

  /** A step attempt failed; {@code willRetry} tells whether another attempt follows. */
  record StepFailed(
      DatasetPath filesystem,
      int step,
      int steps,
      String error,
      boolean temporary,
      int attempt,
      boolean willRetry)
      implements ProgressEvent {}

  record FilesystemFinished(FilesystemResult result) implements ProgressEvent {}

  record RunFinished(ReplicationReport report) implements ProgressEvent {}
}
