package org.zrepl.app.daemon;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.zrepl.app.endpoint.UnmatchedFilterRules;
import org.zrepl.app.logging.Logging;
import org.zrepl.port.metrics.MetricsRegistry;

/**
 * The daemon's metrics on the {@link MetricsRegistry} port, under zrepl's names and labels so its
 * Grafana dashboard works: {@code zrepl_start_time{raw,version_info}}, {@code zrepl_daemon_job_up},
 * {@code zrepl_daemon_log_entries}, {@code zrepl_replication_filesystem_errors}, {@code
 * zrepl_replication_last_successful}, the histograms {@code zrepl_replication_state_time} and
 * {@code zrepl_pruning_time}, the counter {@code zrepl_replication_bytes_replicated}, {@code
 * zrepl_zfs_list_unmatched_user_specified_dataset_count}; and ours: {@code
 * zrepl_replication_newest_snapshot_age_seconds} (per job and filesystem, the age of the newest
 * snapshot that reached the receiver) and {@code zrepl_logging_outlet_dropped_total}.
 * docs/metrics.md lists each with its meaning.
 */
public final class Metrics {

  /** The job label value of log entries outside any job, as zrepl writes it. */
  static final String NO_JOB = "_nojobid";

  private Metrics() {}

  /**
   * What a {@code source} job knows about one pulling client and filesystem: when the newest
   * snapshot that client has pulled was created.
   */
  public record PullerLag(String job, String client, String filesystem, Instant newest) {
    public PullerLag {
      Objects.requireNonNull(job, "job");
      Objects.requireNonNull(client, "client");
      Objects.requireNonNull(filesystem, "filesystem");
      Objects.requireNonNull(newest, "newest");
    }
  }

  /** What the metrics read at scrape time. */
  public record Sources(
      Supplier<List<JobStatus>> jobs,
      Supplier<Map<String, JobMetrics.Snapshot>> jobMetrics,
      Supplier<Map<Logging.Key, Long>> logCounts,
      Supplier<Map<String, Long>> droppedLines,
      Supplier<List<PullerLag>> pullerLag,
      Supplier<Map<String, Long>> unmatchedFilterRules) {
    public Sources {
      Objects.requireNonNull(unmatchedFilterRules, "unmatchedFilterRules");
      Objects.requireNonNull(pullerLag, "pullerLag");
      Objects.requireNonNull(jobs, "jobs");
      Objects.requireNonNull(jobMetrics, "jobMetrics");
      Objects.requireNonNull(logCounts, "logCounts");
      Objects.requireNonNull(droppedLines, "droppedLines");
    }

    /**
     * The daemon's sources. Per-puller lag comes from the source jobs' status ({@link
     * JobStatus#pullers()}): what each client reported replicated since the daemon started.
     */
    public static Sources of(Daemon daemon) {
      return new Sources(
          daemon::statuses,
          daemon::metrics,
          Logging::counts,
          Logging::dropped,
          () -> Metrics.pullerLag(daemon.statuses()),
          UnmatchedFilterRules::counts);
    }
  }

  /** The pullers of every source job whose newest pulled snapshot has a known creation time. */
  static List<PullerLag> pullerLag(List<JobStatus> jobs) {
    List<PullerLag> out = new java.util.ArrayList<>();
    for (JobStatus job : jobs) {
      for (JobStatus.Puller p : job.pullers()) {
        if (!p.createdAt().isEmpty()) {
          out.add(
              new PullerLag(job.name(), p.client(), p.filesystem(), Instant.parse(p.createdAt())));
        }
      }
    }
    return out;
  }

  /** Registers the daemon's metrics on {@code r}. */
  public static void register(
      MetricsRegistry r, Sources s, String version, Instant startedAt, Clock clock) {
    double started = startedAt.getEpochSecond();
    String info = versionInfo(version);
    r.gaugeCallback(
        "zrepl_start_time",
        "zrepl daemon start time (unix seconds); the labels carry the version",
        List.of("raw", "version_info"),
        out -> out.sample(started, version, info));
    r.gaugeCallback(
        "zrepl_daemon_job_up",
        "1 for each configured job while the daemon runs it; 0 while it is failed (it could not"
            + " start, its loop died and waits for its restart, or its listener broke)",
        List.of("zrepl_job", "internal"),
        out ->
            s.jobs()
                .get()
                .forEach(j -> out.sample(j.state().equals("failed") ? 0 : 1, j.name(), "false")));
    r.counterCallback(
        "zrepl_daemon_log_entries",
        "number of log entries per job and level, whatever the outlets' levels",
        List.of("zrepl_job", "level"),
        out ->
            s.logCounts()
                .get()
                .forEach(
                    (k, n) ->
                        out.sample(
                            (double) n, k.job().isEmpty() ? NO_JOB : k.job(), k.level().word())));
    r.counterCallback(
        "zrepl_logging_outlet_dropped_total",
        "log lines a logging outlet could not deliver (peer away, no syslog daemon, ...)",
        List.of("outlet"),
        out -> s.droppedLines().get().forEach((outlet, n) -> out.sample((double) n, outlet)));
    r.gaugeCallback(
        "zrepl_replication_filesystem_errors",
        "number of filesystems that failed replication in the latest replication attempt,"
            + " or -1 if the job failed before enumerating the filesystems",
        List.of("zrepl_job"),
        out ->
            s.jobMetrics()
                .get()
                .forEach(
                    (job, m) -> m.filesystemErrors().ifPresent(n -> out.sample((double) n, job))));
    r.gaugeCallback(
        "zrepl_replication_last_successful",
        "timestamp of last successful replication (unix seconds)",
        List.of("zrepl_job"),
        out ->
            s.jobMetrics()
                .get()
                .forEach(
                    (job, m) ->
                        m.lastSuccessful()
                            .ifPresent(t -> out.sample((double) t.getEpochSecond(), job))));
    r.gaugeCallback(
        "zrepl_replication_newest_snapshot_age_seconds",
        "age of the newest snapshot replicated to the receiver, per filesystem",
        List.of("filesystem", "zrepl_job"),
        out -> newestAge(s.jobs().get(), clock.instant(), out));
    r.gaugeCallback(
        "zrepl_source_client_newest_snapshot_age_seconds",
        "source jobs: age of the newest snapshot a pulling client has, per client and filesystem",
        List.of("client", "filesystem", "zrepl_job"),
        out -> {
          Instant now = clock.instant();
          s.pullerLag()
              .get()
              .forEach(
                  l ->
                      out.sample(
                          (double) Duration.between(l.newest(), now).toSeconds(),
                          l.client(),
                          l.filesystem(),
                          l.job()));
        });
    r.gaugeCallback(
        "zrepl_zfs_list_unmatched_user_specified_dataset_count",
        "When evaluating a filesystems filter against zfs list output, this is incremented by"
            + " every filter rule that did not name any dataset in the listing. Monitor for"
            + " increases to detect filter rules that have no effect.",
        List.of("jobid"),
        out -> s.unmatchedFilterRules().get().forEach((job, n) -> out.sample((double) n, job)));
    r.histogramCallback(
        "zrepl_replication_state_time",
        "seconds spent during replication, per final attempt state",
        JobMetrics.BUCKETS,
        List.of("state", "zrepl_job"),
        out ->
            s.jobMetrics()
                .get()
                .forEach(
                    (job, m) ->
                        m.replicationTime()
                            .forEach(
                                (state, h) ->
                                    out.sample(h.buckets(), h.count(), h.sum(), state, job))));
    r.histogramCallback(
        "zrepl_pruning_time",
        "seconds spent in pruner",
        JobMetrics.BUCKETS,
        List.of("prune_side", "zrepl_job"),
        out ->
            s.jobMetrics()
                .get()
                .forEach(
                    (job, m) ->
                        m.pruneTime()
                            .forEach(
                                (side, h) ->
                                    out.sample(h.buckets(), h.count(), h.sum(), side, job))));
    r.counterCallback(
        "zrepl_replication_bytes_replicated",
        "number of bytes replicated from sender to receiver per filesystem",
        List.of("filesystem", "zrepl_job"),
        out ->
            s.jobMetrics()
                .get()
                .forEach(
                    (job, m) ->
                        m.bytesReplicated()
                            .forEach((fs, n) -> out.sample((double) n, fs.toString(), job))));
  }

  private static void newestAge(
      List<JobStatus> statuses, Instant now, MetricsRegistry.Samples out) {
    for (JobStatus j : statuses) {
      for (JobStatus.DatasetStatus d : j.datasets()) {
        if (!d.newestReplicatedAt().isEmpty()) {
          Duration age = Duration.between(Instant.parse(d.newestReplicatedAt()), now);
          out.sample((double) age.toSeconds(), d.filesystem(), j.name());
        }
      }
    }
  }

  /**
   * The {@code version_info} label: as zrepl's, one line naming the version and the runtime ({@code
   * zrepl version=... go=... GOOS=... GOARCH=...} there; the JVM's here).
   */
  static String versionInfo(String version) {
    return "zrepl version="
        + version
        + " java="
        + System.getProperty("java.version")
        + " os="
        + System.getProperty("os.name")
        + " arch="
        + System.getProperty("os.arch");
  }
}
