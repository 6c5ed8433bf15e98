package org.zrepl.app.daemon;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.zrepl.app.logging.LogLevel;
import org.zrepl.app.logging.Logging;

/**
 * The Prometheus text for {@code /metrics}, with zrepl's metric names so its Grafana dashboard
 * works ({@code zrepl_start_time}, {@code zrepl_version_daemon}, {@code zrepl_daemon_log_entries},
 * {@code zrepl_replication_filesystem_errors}, {@code zrepl_replication_last_successful}, the
 * histograms {@code zrepl_replication_state_time} and {@code zrepl_pruning_time}, the counter
 * {@code zrepl_replication_bytes_replicated}), plus {@code
 * zrepl_replication_newest_snapshot_age_seconds}: per job and filesystem, the age of the newest
 * snapshot that reached the receiver.
 */
public final class Metrics {

  private final Supplier<List<JobStatus>> jobs;
  private final Supplier<Map<Logging.Key, Long>> logCounts;
  private final Supplier<Map<String, JobMetrics.Snapshot>> jobMetrics;
  private final String version;
  private final Instant startedAt;
  private final Clock clock;
  private Supplier<Map<String, Long>> droppedLines = Logging::dropped;

  public Metrics(
      Supplier<List<JobStatus>> jobs,
      Supplier<Map<Logging.Key, Long>> logCounts,
      String version,
      Instant startedAt,
      Clock clock) {
    this(jobs, Map::of, logCounts, version, startedAt, clock);
  }

  public Metrics(
      Supplier<List<JobStatus>> jobs,
      Supplier<Map<String, JobMetrics.Snapshot>> jobMetrics,
      Supplier<Map<Logging.Key, Long>> logCounts,
      String version,
      Instant startedAt,
      Clock clock) {
    this.jobMetrics = Objects.requireNonNull(jobMetrics, "jobMetrics");
    this.jobs = Objects.requireNonNull(jobs, "jobs");
    this.logCounts = Objects.requireNonNull(logCounts, "logCounts");
    this.version = Objects.requireNonNull(version, "version");
    this.startedAt = Objects.requireNonNull(startedAt, "startedAt");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public static Metrics of(Daemon daemon, String version, Instant startedAt, Clock clock) {
    return new Metrics(
        daemon::statuses, daemon::metrics, Logging::counts, version, startedAt, clock);
  }

  /** Reads the dropped-lines counts from {@code dropped} instead of {@link Logging} (tests). */
  Metrics withDroppedLines(Supplier<Map<String, Long>> dropped) {
    this.droppedLines = Objects.requireNonNull(dropped, "dropped");
    return this;
  }

  public String render() {
    StringBuilder b = new StringBuilder();
    header(b, "zrepl_start_time", "gauge", "zrepl daemon start time (unix seconds)");
    sample(b, "zrepl_start_time", seconds(startedAt), "raw", version);
    header(b, "zrepl_version_daemon", "gauge", "zrepl daemon version");
    sample(b, "zrepl_version_daemon", "1", "raw", version);
    header(
        b,
        "zrepl_daemon_log_entries",
        "counter",
        "number of log entries per job and level, whatever the outlets' levels");
    for (Map.Entry<Logging.Key, Long> e : new java.util.TreeMap<>(logCounts.get()).entrySet()) {
      LogLevel l = e.getKey().level();
      sample(
          b,
          "zrepl_daemon_log_entries",
          Long.toString(e.getValue()),
          "level",
          l.word(),
          "zrepl_job",
          e.getKey().job());
    }
    header(
        b,
        "zrepl_logging_outlet_dropped_total",
        "counter",
        "log lines a logging outlet could not deliver (peer away, no syslog daemon, ...)");
    new java.util.TreeMap<>(droppedLines.get())
        .forEach(
            (outlet, n) ->
                sample(
                    b, "zrepl_logging_outlet_dropped_total", Long.toString(n), "outlet", outlet));
    List<JobStatus> statuses = jobs.get();
    Map<String, JobMetrics.Snapshot> perJob = new java.util.TreeMap<>(jobMetrics.get());
    header(
        b,
        "zrepl_replication_filesystem_errors",
        "gauge",
        "number of filesystems that failed replication in the latest replication attempt,"
            + " or -1 if the job failed before enumerating the filesystems");
    perJob.forEach(
        (job, m) ->
            m.filesystemErrors()
                .ifPresent(
                    n ->
                        sample(
                            b,
                            "zrepl_replication_filesystem_errors",
                            Long.toString(n),
                            "zrepl_job",
                            job)));
    header(
        b,
        "zrepl_replication_newest_snapshot_age_seconds",
        "gauge",
        "age of the newest snapshot replicated to the receiver, per filesystem");
    Instant now = clock.instant();
    for (JobStatus j : statuses) {
      for (JobStatus.DatasetStatus d : j.datasets()) {
        if (d.newestReplicatedAt().isEmpty()) {
          continue;
        }
        Duration age = Duration.between(Instant.parse(d.newestReplicatedAt()), now);
        sample(
            b,
            "zrepl_replication_newest_snapshot_age_seconds",
            Long.toString(age.toSeconds()),
            "filesystem",
            d.filesystem(),
            "zrepl_job",
            j.name());
      }
    }
    renderJobMetrics(b, perJob);
    return b.toString();
  }

  private static void renderJobMetrics(StringBuilder b, Map<String, JobMetrics.Snapshot> all) {
    header(
        b,
        "zrepl_replication_last_successful",
        "gauge",
        "timestamp of last successful replication (unix seconds)");
    all.forEach(
        (job, m) ->
            m.lastSuccessful()
                .ifPresent(
                    t ->
                        sample(
                            b, "zrepl_replication_last_successful", seconds(t), "zrepl_job", job)));
    header(b, "zrepl_replication_state_time", "histogram", "seconds spent during replication");
    all.forEach(
        (job, m) ->
            new java.util.TreeMap<>(m.replicationTime())
                .forEach(
                    (state, h) ->
                        histogram(b, "zrepl_replication_state_time", h, "state", state, job)));
    header(b, "zrepl_pruning_time", "histogram", "seconds spent in pruner");
    all.forEach(
        (job, m) ->
            new java.util.TreeMap<>(m.pruneTime())
                .forEach(
                    (side, h) -> histogram(b, "zrepl_pruning_time", h, "prune_side", side, job)));
    header(
        b,
        "zrepl_replication_bytes_replicated",
        "counter",
        "number of bytes replicated from sender to receiver per filesystem");
    all.forEach(
        (job, m) ->
            new java.util.TreeMap<>(m.bytesReplicated())
                .forEach(
                    (fs, n) ->
                        sample(
                            b,
                            "zrepl_replication_bytes_replicated",
                            Long.toString(n),
                            "filesystem",
                            fs.toString(),
                            "zrepl_job",
                            job)));
  }

  /**
   * {@code name_bucket{label="v",zrepl_job="j",le="..."}}, then {@code _sum} and {@code _count}.
   */
  private static void histogram(
      StringBuilder b,
      String name,
      JobMetrics.Histogram h,
      String label,
      String value,
      String job) {
    for (int i = 0; i < JobMetrics.BUCKETS.size(); i++) {
      sample(
          b,
          name + "_bucket",
          Long.toString(h.buckets().get(i)),
          label,
          value,
          "zrepl_job",
          job,
          "le",
          number(JobMetrics.BUCKETS.get(i)));
    }
    sample(
        b,
        name + "_bucket",
        Long.toString(h.count()),
        label,
        value,
        "zrepl_job",
        job,
        "le",
        "+Inf");
    sample(b, name + "_sum", number(h.sum()), label, value, "zrepl_job", job);
    sample(b, name + "_count", Long.toString(h.count()), label, value, "zrepl_job", job);
  }

  /** A float as Prometheus' Go clients write it: {@code 0.005}, {@code 1}, {@code 2.5}. */
  static String number(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15
        ? Long.toString((long) d)
        : new java.math.BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString();
  }

  private static String seconds(Instant t) {
    return Long.toString(t.getEpochSecond());
  }

  private static void header(StringBuilder b, String name, String type, String help) {
    b.append("# HELP ").append(name).append(' ').append(help).append('\n');
    b.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  /** {@code name{l1="v1",l2="v2"} value}; labels as given (callers pass them sorted). */
  private static void sample(StringBuilder b, String name, String value, String... labels) {
    b.append(name);
    if (labels.length > 0) {
      b.append('{');
      for (int i = 0; i < labels.length; i += 2) {
        if (i > 0) {
          b.append(',');
        }
        b.append(labels[i]).append("=\"").append(escape(labels[i + 1])).append('"');
      }
      b.append('}');
    }
    b.append(' ').append(value).append('\n');
  }

  static String escape(String v) {
    return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
