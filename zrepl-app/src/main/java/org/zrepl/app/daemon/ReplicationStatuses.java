package org.zrepl.app.daemon;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.zrepl.app.job.ReplicationAttempt;
import org.zrepl.app.replication.FilesystemState;
import org.zrepl.app.replication.StatusBoard.FilesystemStatus;
import org.zrepl.domain.dataset.DatasetPath;

/**
 * For replicating jobs (local, push, pull): their {@link org.zrepl.app.replication.StatusBoard} as
 * the daemon's per-filesystem status, so {@code zrepl status} shows progress bars and {@code
 * /metrics} the age of the newest replicated snapshot.
 */
public final class ReplicationStatuses {

  private ReplicationStatuses() {}

  /** The attempt history as the status shows it (times as ISO-8601 strings). */
  public static List<JobStatus.Attempt> attempts(List<ReplicationAttempt> attempts) {
    return attempts.stream()
        .map(
            a ->
                new JobStatus.Attempt(
                    a.number(),
                    JobStatus.time(Optional.of(a.startedAt())),
                    JobStatus.time(a.finishedAt()),
                    a.state(),
                    a.error(),
                    a.filesystems(),
                    a.failed()))
        .toList();
  }

  /**
   * One {@link JobStatus.DatasetStatus} per filesystem, sorted by path.
   *
   * @param board {@code StatusBoard.snapshot()} of the current or last run
   * @param newestReplicated per filesystem, the creation time of the newest snapshot on the
   *     receiver (filesystems without one are left out of the age gauge)
   */
  public static List<JobStatus.DatasetStatus> datasets(
      Map<DatasetPath, FilesystemStatus> board, Map<DatasetPath, Instant> newestReplicated) {
    Map<DatasetPath, FilesystemStatus> sorted = new TreeMap<>(board);
    List<JobStatus.DatasetStatus> out = new ArrayList<>();
    sorted.forEach(
        (fs, s) -> {
          String detail =
              s.steps() == 0
                  ? s.plan()
                  : "step " + s.step() + "/" + s.steps() + " " + s.snapshots();
          Instant newest = newestReplicated.get(fs);
          String encrypted =
              switch (s.encryption()) {
                case ENCRYPTED -> "yes";
                case PLAIN -> "no";
                case UNKNOWN -> "";
              };
          if (s.steps() > 0 && !encrypted.isEmpty()) {
            detail += " (encrypted=" + encrypted + ")"; // zrepl's marker on a step
          }
          out.add(
              new JobStatus.DatasetStatus(
                  fs.toString(),
                  s.state().name().toLowerCase(Locale.ROOT).replace('_', '-'),
                  detail.strip(),
                  s.bytes(),
                  s.expectedBytes().orElse(-1),
                  s.lastError().orElse(""),
                  newest == null ? "" : newest.toString(),
                  // a conflict is the planner's verdict: no step ran, so it is no step error
                  s.state() == FilesystemState.CONFLICT ? s.lastError().orElse("") : "",
                  encrypted));
        });
    return out;
  }
}
