package org.zrepl.app.replication;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.zrepl.domain.dataset.DatasetPath;

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
   */
  public record FilesystemStatus(
      FilesystemState state,
      String plan,
      int step,
      int steps,
      String snapshots,
      long bytes,
      OptionalLong expectedBytes,
      Optional<String> lastError) {

    static final FilesystemStatus INITIAL =
        new FilesystemStatus(
            FilesystemState.READY, "", 0, 0, "", 0, OptionalLong.empty(), Optional.empty());
  }

  private final Map<DatasetPath, FilesystemStatus> status = new LinkedHashMap<>();

  @Override
  public synchronized void on(ProgressEvent event) {
    if (event instanceof ProgressEvent.Planned p) {
      FilesystemStatus s = get(p.filesystem());
      put(p.filesystem(), with(s, s.state(), p.plan(), 0, p.steps(), "", 0, s.lastError()));
    } else if (event instanceof ProgressEvent.StateChanged c) {
      FilesystemStatus s = get(c.filesystem());
      put(
          c.filesystem(),
          with(
              s,
              c.state(),
              s.plan(),
              s.step(),
              s.steps(),
              s.snapshots(),
              s.bytes(),
              s.lastError()));
    } else if (event instanceof ProgressEvent.StepStarted st) {
      FilesystemStatus s = get(st.filesystem());
      put(
          st.filesystem(),
          with(
              s,
              FilesystemState.STEPPING,
              s.plan(),
              st.step(),
              st.steps(),
              st.snapshots(),
              0,
              s.lastError()));
    } else if (event instanceof ProgressEvent.BytesSent b) {
      FilesystemStatus s = get(b.filesystem());
      put(
          b.filesystem(),
          new FilesystemStatus(
              s.state(),
              s.plan(),
              s.step(),
              s.steps(),
              s.snapshots(),
              b.bytes(),
              b.expected(),
              s.lastError()));
    } else if (event instanceof ProgressEvent.StepFailed f) {
      FilesystemStatus s = get(f.filesystem());
      put(
          f.filesystem(),
          with(
              s,
              s.state(),
              s.plan(),
              s.step(),
              s.steps(),
              s.snapshots(),
              s.bytes(),
              Optional.of(f.error())));
    } else if (event instanceof ProgressEvent.FilesystemFinished f) {
      FilesystemResult r = f.result();
      FilesystemStatus s = get(r.filesystem());
      FilesystemState state =
          r instanceof FilesystemResult.Ok
              ? FilesystemState.DONE
              : r instanceof FilesystemResult.ConflictFound
                  ? FilesystemState.CONFLICT
                  : FilesystemState.FAILED;
      Optional<String> error = r.needsAttention() ? Optional.of(r.describe()) : s.lastError();
      put(
          r.filesystem(),
          with(s, state, s.plan(), s.step(), s.steps(), s.snapshots(), s.bytes(), error));
    }
  }

  private FilesystemStatus get(DatasetPath fs) {
    return status.getOrDefault(fs, FilesystemStatus.INITIAL);
  }

  private void put(DatasetPath fs, FilesystemStatus s) {
    status.put(fs, s);
  }

  private static FilesystemStatus with(
      FilesystemStatus s,
      FilesystemState state,
      String plan,
      int step,
      int steps,
      String snapshots,
      long bytes,
      Optional<String> error) {
    return new FilesystemStatus(
        state, plan, step, steps, snapshots, bytes, s.expectedBytes(), error);
  }

  /** Every filesystem seen so far, in the order first seen. */
  public synchronized Map<DatasetPath, FilesystemStatus> snapshot() {
    return Map.copyOf(status);
  }
}
