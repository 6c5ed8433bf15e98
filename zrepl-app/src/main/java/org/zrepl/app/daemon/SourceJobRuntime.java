package org.zrepl.app.daemon;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zrepl.app.config.Job.Source;
import org.zrepl.app.endpoint.PullerCursors;
import org.zrepl.app.endpoint.SessionCursors;
import org.zrepl.app.job.SnapJob;
import org.zrepl.app.prune.SourcePruning;
import org.zrepl.app.remote.SourceEndpoints;
import org.zrepl.app.remote.Transports;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.version.FilesystemVersion;

/**
 * A {@code source} job in the daemon: serves its filesystems to pullers ({@link ServingJobRuntime})
 * and, on its own thread, snapshots them by its {@code snapshotting} and prunes them by its {@code
 * keep} rules ({@link SourcePruning}), protecting what its pullers still need with what the serving
 * side saw ({@link SessionCursors}). {@code signal snapshot} runs a round (snapshot, then prune)
 * now; {@code signal wakeup} prunes now; {@code reset} is refused.
 */
final class SourceJobRuntime implements JobRuntime {
  private static final Logger LOG = LoggerFactory.getLogger(SourceJobRuntime.class);

  /** The status detail of a filesystem the source does not prune yet on a ZFS without bookmarks. */
  static final String BASE_UNKNOWN =
      "not pruned: no puller completed a step since the daemon started"
          + " (this ZFS has no bookmarks to remember the replication cursor)";

  private final ServingJobRuntime serving;
  private final SnapJobRuntime rounds;
  private final boolean bookmarks;
  private final SessionCursors session;
  private final Supplier<Map<DatasetPath, Map<String, FilesystemVersion>>> readRecorded;

  /** The pullers' persistent cursors as read at start; empty before or if reading failed. */
  private volatile Map<DatasetPath, Map<String, FilesystemVersion>> recorded = Map.of();

  private volatile String recordedError = "";

  private SourceJobRuntime(
      ServingJobRuntime serving,
      SnapJobRuntime rounds,
      boolean bookmarks,
      SessionCursors session,
      Supplier<Map<DatasetPath, Map<String, FilesystemVersion>>> readRecorded) {
    this.serving = serving;
    this.rounds = rounds;
    this.bookmarks = bookmarks;
    this.session = session;
    this.readRecorded = readRecorded;
  }

  static SourceJobRuntime of(Source c, JobDependencies deps, Transports transports) {
    SessionCursors session = new SessionCursors();
    ServingJobRuntime serving =
        new ServingJobRuntime(
            c.name(),
            "source",
            c.serve(),
            transports,
            deps.rpc(),
            SourceEndpoints.of(c, deps.zfs(), session, deps.clock(), deps.sleeper()));
    SnapJobRuntime rounds =
        SnapJobRuntime.running(
            c.name(),
            "source",
            deps.clock(),
            scheduler ->
                SnapJob.source(
                    c,
                    SourcePruning.of(c, deps.zfs(), session),
                    deps.zfs(),
                    deps.hooks(),
                    deps.clock(),
                    deps.sleeper(),
                    scheduler));
    return new SourceJobRuntime(
        serving,
        rounds,
        deps.zfs().capabilities().bookmarks(),
        session,
        () -> PullerCursors.read(deps.zfs(), c.name(), c.filesystems().filter()));
  }

  @Override
  public String name() {
    return serving.name();
  }

  @Override
  public String type() {
    return "source";
  }

  /**
   * Reads each puller's persistent cursor (so that status and the lag gauge know every puller's lag
   * before it calls again), then serves and starts the rounds. A failed read is logged and shown in
   * the job's errors; the job serves anyway.
   */
  @Override
  public void start() {
    try {
      recorded = readRecorded.get();
    } catch (RuntimeException e) {
      recordedError =
          "cannot read the pullers' cursors (their lag is unknown until they pull): "
              + e.getMessage();
      LOG.warn("job {}: {}", name(), recordedError, e);
    }
    serving.start();
    rounds.start();
  }

  /** The rounds' thread: {@link SnapJobRuntime#onDeath}. */
  @Override
  public void onDeath(Consumer<Throwable> listener) {
    rounds.onDeath(listener);
  }

  @Override
  public void stop() {
    serving.stop();
    rounds.stop();
  }

  /**
   * The rounds' state (last round, next due, per dataset what was snapshotted and pruned), {@code
   * serving} while idle, and {@code failed} with the reason if the job cannot serve.
   */
  @Override
  public JobStatus status() {
    JobStatus served = serving.status();
    JobStatus r = rounds.status();
    List<String> errors = new ArrayList<>(served.errors());
    errors.addAll(r.errors());
    if (!recordedError.isEmpty()) {
      errors.add(recordedError);
    }
    String state;
    if (!served.state().equals("serving")) {
      state = served.state();
    } else if (r.state().equals("idle")) {
      state = "serving";
    } else {
      state = r.state();
    }
    List<JobStatus.DatasetStatus> datasets = new ArrayList<>();
    for (JobStatus.DatasetStatus d : r.datasets()) {
      datasets.add(bookmarks ? d : noted(d));
    }
    return new JobStatus(name(), "source", state, r.lastRunAt(), r.nextRunAt(), errors, datasets)
        .withViewsOf(r)
        .withPullers(pullers(session, recorded));
  }

  /** {@link #pullers(SessionCursors, Map)} of this session alone. */
  static List<JobStatus.Puller> pullers(SessionCursors session) {
    return pullers(session, Map.of());
  }

  /**
   * Per client identity and filesystem (sorted by both), the newest snapshot that puller
   * replicated, with its creation time (its lag): what it reported in this session, else its
   * persistent cursor as read at start ({@code recorded}, see {@link PullerCursors}), whichever is
   * newer.
   */
  static List<JobStatus.Puller> pullers(
      SessionCursors session, Map<DatasetPath, Map<String, FilesystemVersion>> recorded) {
    Map<DatasetPath, Map<String, FilesystemVersion>> newest = new HashMap<>();
    recorded.forEach((fs, byClient) -> newest.put(fs, new HashMap<>(byClient)));
    session
        .replicatedByClient()
        .forEach(
            (fs, byClient) -> {
              Map<String, FilesystemVersion> m = newest.computeIfAbsent(fs, f -> new HashMap<>());
              byClient.forEach(
                  (client, v) -> {
                    String id = client.replace(' ', '_'); // as the cursor's job id has it
                    FilesystemVersion before = m.remove(id);
                    m.put(
                        client, before != null && before.createTxg() > v.createTxg() ? before : v);
                  });
            });
    List<JobStatus.Puller> out = new ArrayList<>();
    newest.forEach(
        (fs, byClient) ->
            byClient.forEach(
                (client, v) ->
                    out.add(
                        new JobStatus.Puller(
                            client,
                            fs.toString(),
                            v.name(),
                            JobStatus.time(java.util.Optional.of(v.creation()))))));
    out.sort(
        java.util.Comparator.comparing(JobStatus.Puller::client)
            .thenComparing(JobStatus.Puller::filesystem));
    return out;
  }

  private JobStatus.DatasetStatus noted(JobStatus.DatasetStatus d) {
    if (session.lastReplicated(DatasetPath.of(d.filesystem())).isPresent()) {
      return d;
    }
    String detail = d.detail().isEmpty() ? BASE_UNKNOWN : d.detail() + "; " + BASE_UNKNOWN;
    return new JobStatus.DatasetStatus(
        d.filesystem(),
        d.state(),
        detail,
        d.bytes(),
        d.expectedBytes(),
        d.lastError(),
        d.newestReplicatedAt());
  }

  /** Prunes now. */
  @Override
  public void wakeup() {
    rounds.pruneNow();
  }

  @Override
  public void reset() {
    throw new SignalRefusedException(
        "job '" + name() + "' is a source job: the pull job replicates (reset it instead)");
  }

  /** A snapshot round (then pruning) now; refused for {@code manual} snapshotting. */
  @Override
  public void snapshotNow() {
    if (!rounds.snapshots()) {
      throw new SignalRefusedException(
          "job '"
              + name()
              + "' has manual snapshotting: it takes no snapshots itself (signal wakeup prunes"
              + " it now; for the daemon to take snapshots, configure snapshotting type periodic"
              + " or cron)");
    }
    rounds.snapshotNow();
  }
}
