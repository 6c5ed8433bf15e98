package org.zrepl.app.job;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One replication run of a job (zrepl's "attempt"), as {@code zrepl status} lists them.
 *
 * @param number counted from 1 since the job started
 * @param startedAt when listing and planning began
 * @param finishedAt when it ended; empty while it runs
 * @param state zrepl's words: {@code planning}, {@code fan-out-filesystems} (steps running), {@code
 *     planning-error} (listing or planning failed as a whole), {@code filesystem-error} (a
 *     filesystem conflicted or failed), {@code done}
 * @param error why it failed, one line; empty unless {@code planning-error} or {@code
 *     filesystem-error}
 * @param filesystems how many filesystems it planned (0 until planned)
 * @param failed how many of them conflicted or failed
 */
public record ReplicationAttempt(
    int number,
    Instant startedAt,
    Optional<Instant> finishedAt,
    String state,
    String error,
    int filesystems,
    int failed) {

  public static final String PLANNING = "planning";
  public static final String FAN_OUT = "fan-out-filesystems";
  public static final String PLANNING_ERROR = "planning-error";
  public static final String FILESYSTEM_ERROR = "filesystem-error";
  public static final String DONE = "done";

  public ReplicationAttempt {
    if (number < 1) {
      throw new IllegalArgumentException("number must be positive, got " + number);
    }
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(finishedAt, "finishedAt");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(error, "error");
  }
}
