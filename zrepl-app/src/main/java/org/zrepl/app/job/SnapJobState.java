package org.zrepl.app.job;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.zrepl.app.prune.FilesystemPruneResult;
import org.zrepl.app.prune.PruneReport;
import org.zrepl.app.snapshot.SnapshotOutcome;
import org.zrepl.app.snapshot.SnapshotRound;
import org.zrepl.domain.dataset.DatasetPath;

/**
 * What a snap job is doing, for status output: an immutable snapshot of its state.
 *
 * @param job the job's name
 * @param running whether its loop is started
 * @param lastRoundAt when the last round (snapshot and prune) ran
 * @param lastSnapshots the last snapshot round, per filesystem
 * @param lastPrune the last prune run, per filesystem
 * @param nextDue when the next round is due; empty for manual snapshotting or when stopped
 * @param errors problems of the last round or of start-up (snapshot from the future, listing
 *     failures), one line each
 */
public record SnapJobState(
    String job,
    boolean running,
    Optional<Instant> lastRoundAt,
    Optional<SnapshotRound> lastSnapshots,
    Optional<PruneReport> lastPrune,
    Optional<Instant> nextDue,
    List<String> errors) {

  public SnapJobState {
    Objects.requireNonNull(job, "job");
    Objects.requireNonNull(lastRoundAt, "lastRoundAt");
    Objects.requireNonNull(lastSnapshots, "lastSnapshots");
    Objects.requireNonNull(lastPrune, "lastPrune");
    Objects.requireNonNull(nextDue, "nextDue");
    errors = List.copyOf(errors);
  }

  /** One filesystem's part of the last round: its snapshot outcome and its prune result. */
  public record DatasetStatus(
      Optional<SnapshotOutcome> snapshot, Optional<FilesystemPruneResult> prune) {
    public DatasetStatus {
      Objects.requireNonNull(snapshot, "snapshot");
      Objects.requireNonNull(prune, "prune");
    }
  }

  /** Per filesystem (sorted by path): what the last snapshot round and prune run did to it. */
  public SortedMap<DatasetPath, DatasetStatus> datasets() {
    SortedMap<DatasetPath, DatasetStatus> m = new TreeMap<>();
    lastSnapshots.ifPresent(
        r ->
            r.results()
                .forEach(
                    (fs, o) -> m.put(fs, new DatasetStatus(Optional.of(o), Optional.empty()))));
    lastPrune.ifPresent(
        p ->
            p.filesystems()
                .forEach(
                    f ->
                        m.merge(
                            f.fs(),
                            new DatasetStatus(Optional.empty(), Optional.of(f)),
                            (old, added) -> new DatasetStatus(old.snapshot(), added.prune()))));
    return Collections.unmodifiableSortedMap(m);
  }

  static SnapJobState initial(String job) {
    return new SnapJobState(
        job,
        false,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        List.of());
  }
}
