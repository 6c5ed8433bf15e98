package org.zrepl.app.replication;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.UnaryOperator;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.port.endpoint.SendStepResponse.Encryption;

/**
 * A {@link ProgressListener} that keeps the latest status of every filesystem, for the daemon's
 * {@code zrepl status}. Thread-safe; {@link #snapshot()} returns an immutable copy.
 */
public final class StatusBoard implements ProgressListener {

  /**
   * One filesystem's status.
   *
   * @param state where it stands
   * @param plan the plan's description, once planned
   * @param step the current (or last) step, numbered from 1; 0 before the first
   * @param steps how many steps the plan has
   * @param snapshots the current step's snapshots, e.g. {@code @a -> @b}
   * @param bytes bytes of the current step so far
   * @param expectedBytes the sender's estimate for the current step, if any
   * @param lastError the last step error, if any
   * @param encryption whether the current (or last) step's stream is an encrypted raw send; {@code
   *     UNKNOWN} until its sender answered
   */
  public record FilesystemStatus(
      FilesystemState state,
      String plan,
      int step,
      int steps,
      String snapshots,
      long bytes,
      OptionalLong expectedBytes,
      Optional<String> lastError,
      Encryption encryption) {

    static final FilesystemStatus INITIAL =
        new FilesystemStatus(
            FilesystemState.READY, "", 0, 0, "", 0, OptionalLong.empty(), Optional.empty());

    public FilesystemStatus {
      Objects.requireNonNull(encryption, "encryption");
    }

    /** A status whose step's encryption is not known (yet). */
    public FilesystemStatus(
        FilesystemState state,
        String plan,
        int step,
        int steps,
        String snapshots,
        long bytes,
        OptionalLong expectedBytes,
        Optional<String> lastError) {
      this(
          state, plan, step, steps, snapshots, bytes, expectedBytes, lastError, Encryption.UNKNOWN);
    }

    /** Planned anew: no step yet. */
    FilesystemStatus planned(String newPlan, int newSteps) {
      return new FilesystemStatus(
          state, newPlan, 0, newSteps, "", 0, expectedBytes, lastError, Encryption.UNKNOWN);
    }

    FilesystemStatus inState(FilesystemState newState) {
      return new FilesystemStatus(
          newState, plan, step, steps, snapshots, bytes, expectedBytes, lastError, encryption);
    }

    /** A step (attempt) starts: stepping, no bytes yet, its encryption not yet known. */
    FilesystemStatus stepping(int newStep, int newSteps, String newSnapshots) {
      return new FilesystemStatus(
          FilesystemState.STEPPING,
          plan,
          newStep,
          newSteps,
          newSnapshots,
          0,
          expectedBytes,
          lastError,
          Encryption.UNKNOWN);
    }

    FilesystemStatus streaming(Encryption e) {
      return new FilesystemStatus(
          state, plan, step, steps, snapshots, bytes, expectedBytes, lastError, e);
    }

    FilesystemStatus sent(long newBytes, OptionalLong expected) {
      return new FilesystemStatus(
          state, plan, step, steps, snapshots, newBytes, expected, lastError, encryption);
    }

    FilesystemStatus failing(Optional<String> error) {
      return new FilesystemStatus(
          state, plan, step, steps, snapshots, bytes, expectedBytes, error, encryption);
    }
  }

  private final Map<DatasetPath, FilesystemStatus> status = new LinkedHashMap<>();

  @Override
  public synchronized void on(ProgressEvent event) {
    if (event instanceof ProgressEvent.Planned p) {
      update(p.filesystem(), s -> s.planned(p.plan(), p.steps()));
    } else if (event instanceof ProgressEvent.StateChanged c) {
      update(c.filesystem(), s -> s.inState(c.state()));
    } else if (event instanceof ProgressEvent.StepStarted st) {
      update(st.filesystem(), s -> s.stepping(st.step(), st.steps(), marked(st)));
    } else if (event instanceof ProgressEvent.StreamOpened o) {
      update(o.filesystem(), s -> s.streaming(o.encryption()));
    } else if (event instanceof ProgressEvent.BytesSent b) {
      update(b.filesystem(), s -> s.sent(b.bytes(), b.expected()));
    } else if (event instanceof ProgressEvent.StepFailed f) {
      update(f.filesystem(), s -> s.failing(Optional.of(f.error())));
    } else if (event instanceof ProgressEvent.FilesystemFinished f) {
      FilesystemResult r = f.result();
      FilesystemState state =
          r instanceof FilesystemResult.Ok
              ? FilesystemState.DONE
              : r instanceof FilesystemResult.ConflictFound
                  ? FilesystemState.CONFLICT
                  : FilesystemState.FAILED;
      update(
          r.filesystem(),
          s ->
              s.inState(state)
                  .failing(r.needsAttention() ? Optional.of(r.describe()) : s.lastError()));
    }
  }

  private void update(DatasetPath fs, UnaryOperator<FilesystemStatus> change) {
    status.put(fs, change.apply(status.getOrDefault(fs, FilesystemStatus.INITIAL)));
  }

  /** Every filesystem seen so far, in the order first seen. */
  public synchronized Map<DatasetPath, FilesystemStatus> snapshot() {
    return Map.copyOf(status);
  }

  /**
   * The step's snapshots with zrepl's markers: {@code (resumed)} when it continues a partial
   * receive, {@code (attempt N)} from the second attempt on.
   */
  static String marked(ProgressEvent.StepStarted st) {
    return st.snapshots()
        + (st.resumed() ? " (resumed)" : "")
        + (st.attempt() > 1 ? " (attempt " + st.attempt() + ")" : "");
  }
}
