package org.zrepl.app.daemon;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A job's status as {@code zrepl status} shows it and the control socket sends it (JSON through
 * Jackson, so times are ISO-8601 strings, empty when unknown).
 *
 * @param state {@code idle}, {@code running}, {@code stopped} or {@code failed} (could not start)
 * @param lastRunAt when the last run (round) started
 * @param nextRunAt when the next run is due
 * @param errors problems of the last run, one line each
 */
public record JobStatus(
    String name,
    String type,
    String state,
    String lastRunAt,
    String nextRunAt,
    List<String> errors,
    List<DatasetStatus> datasets) {

  public JobStatus {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(state, "state");
    lastRunAt = lastRunAt == null ? "" : lastRunAt;
    nextRunAt = nextRunAt == null ? "" : nextRunAt;
    errors = errors == null ? List.of() : List.copyOf(errors);
    datasets = datasets == null ? List.of() : List.copyOf(datasets);
  }

  static String time(Optional<Instant> t) {
    return t.map(i -> i.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString()).orElse("");
  }

  /**
   * One filesystem of a job.
   *
   * @param state what it is doing: {@code snapshotted}, {@code stepping}, {@code done}, {@code
   *     failed}, ...
   * @param detail one line for people: the snapshot taken, the plan, what pruning did
   * @param bytes bytes of the current step so far
   * @param expectedBytes the sender's estimate for the current step; -1 when unknown
   * @param lastError the last error, empty if none
   * @param newestReplicatedAt creation time of the newest snapshot replicated to the receiver (the
   *     age gauge); empty for jobs that do not replicate
   */
  public record DatasetStatus(
      String filesystem,
      String state,
      String detail,
      long bytes,
      long expectedBytes,
      String lastError,
      String newestReplicatedAt) {
    public DatasetStatus {
      Objects.requireNonNull(filesystem, "filesystem");
      state = state == null ? "" : state;
      detail = detail == null ? "" : detail;
      if (bytes < 0) {
        throw new IllegalArgumentException("bytes must not be negative, got " + bytes);
      }
      lastError = lastError == null ? "" : lastError;
      newestReplicatedAt = newestReplicatedAt == null ? "" : newestReplicatedAt;
    }
  }
}
