package org.zrepl.app.daemon;

import java.util.ArrayList;
import java.util.List;
import org.zrepl.app.config.Job.Source;
import org.zrepl.app.endpoint.SessionCursors;
import org.zrepl.app.job.SnapJob;
import org.zrepl.app.prune.SourcePruning;
import org.zrepl.app.remote.SourceEndpoints;
import org.zrepl.app.remote.Transports;
import org.zrepl.domain.dataset.DatasetPath;

/**
 * A {@code source} job in the daemon: serves its filesystems to pullers ({@link ServingJobRuntime})
 * and, on its own thread, snapshots them by its {@code snapshotting} and prunes them by its {@code
 * keep} rules ({@link SourcePruning}), protecting what its pullers still need with what the serving
 * side saw ({@link SessionCursors}). {@code signal snapshot} runs a round (snapshot, then prune)
 * now; {@code signal wakeup} prunes now; {@code reset} is refused.
 */
final class SourceJobRuntime implements JobRuntime {

  /** The status detail of a filesystem the source does not prune yet on a ZFS without bookmarks. */
  static final String BASE_UNKNOWN =
      "not pruned: no puller completed a step since the daemon started"
          + " (this ZFS has no bookmarks to remember the replication cursor)";

  private final ServingJobRuntime serving;
  private final SnapJobRuntime rounds;
  private final boolean bookmarks;
  private final SessionCursors session;

  private SourceJobRuntime(
      ServingJobRuntime serving, SnapJobRuntime rounds, boolean bookmarks, SessionCursors session) {
    this.serving = serving;
    this.rounds = rounds;
    this.bookmarks = bookmarks;
    this.session = session;
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
    return new SourceJobRuntime(serving, rounds, deps.zfs().capabilities().bookmarks(), session);
  }

  @Override
  public String name() {
    return serving.name();
  }

  @Override
  public String type() {
    return "source";
  }

  @Override
  public void start() {
    serving.start();
    rounds.start();
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
        .withPullers(pullers(session));
  }

  /**
   * Per client identity and filesystem (sorted by both), the newest snapshot that puller reported
   * replicated in this session, with its creation time (its lag).
   */
  static List<JobStatus.Puller> pullers(SessionCursors session) {
    List<JobStatus.Puller> out = new ArrayList<>();
    session
        .replicatedByClient()
        .forEach(
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
