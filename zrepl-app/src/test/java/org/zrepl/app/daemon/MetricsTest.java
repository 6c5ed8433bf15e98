package org.zrepl.app.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.zrepl.app.job.Invocation;
import org.zrepl.app.logging.LogLevel;
import org.zrepl.app.logging.Logging;
import org.zrepl.app.replication.FilesystemResult;
import org.zrepl.app.replication.ReplicationReport;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.transport.prometheus.PrometheusMetricsRegistry;

class MetricsTest {

  private static String render(
      java.util.function.Supplier<List<JobStatus>> jobs,
      java.util.function.Supplier<Map<String, JobMetrics.Snapshot>> jobMetrics,
      java.util.function.Supplier<Map<Logging.Key, Long>> logs,
      java.util.function.Supplier<Map<String, Long>> dropped) {
    return render(jobs, jobMetrics, logs, dropped, List::of);
  }

  private static String render(
      java.util.function.Supplier<List<JobStatus>> jobs,
      java.util.function.Supplier<Map<String, JobMetrics.Snapshot>> jobMetrics,
      java.util.function.Supplier<Map<Logging.Key, Long>> logs,
      java.util.function.Supplier<Map<String, Long>> dropped,
      java.util.function.Supplier<List<Metrics.PullerLag>> pullers) {
    return render(jobs, jobMetrics, logs, dropped, pullers, Map::of);
  }

  private static String render(
      java.util.function.Supplier<List<JobStatus>> jobs,
      java.util.function.Supplier<Map<String, JobMetrics.Snapshot>> jobMetrics,
      java.util.function.Supplier<Map<Logging.Key, Long>> logs,
      java.util.function.Supplier<Map<String, Long>> dropped,
      java.util.function.Supplier<List<Metrics.PullerLag>> pullers,
      java.util.function.Supplier<Map<String, Long>> unmatchedFilterRules) {
    PrometheusMetricsRegistry r = new PrometheusMetricsRegistry(false);
    Metrics.register(
        r,
        new Metrics.Sources(jobs, jobMetrics, logs, dropped, pullers, unmatchedFilterRules),
        "0.1.0",
        Instant.parse("2026-11-25T08:00:00Z"),
        Clock.fixed(NOW, ZoneOffset.UTC));
    return r.scrape();
  }

  private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

  private static JobStatus.DatasetStatus ds(String fs, String error, String newest) {
    return new JobStatus.DatasetStatus(fs, "done", "", 0, -1, error, newest);
  }

  @Test
  void zreplNamesAndTheNewestReplicatedSnapshotAge() {
    List<JobStatus> jobs =
        List.of(
            new JobStatus(
                "local1",
                "local",
                "idle",
                "",
                "",
                List.of(),
                List.of(
                    ds("pool/a", "", "2026-11-25T09:00:00Z"),
                    ds("pool/b", "step failed", "2026-11-25T09:59:30Z"))),
            new JobStatus("allbad", "push", "idle", "", "", List.of(), List.of(ds("p/x", "e", ""))),
            new JobStatus(
                "snapper", "snap", "idle", "", "", List.of(), List.of(ds("p/y", "", ""))));
    String text =
        render(
            () -> jobs,
            Map::of,
            () ->
                Map.of(
                    new Logging.Key("local1", LogLevel.WARN), 2L,
                    new Logging.Key("", LogLevel.INFO), 5L),
            () -> Map.of("tcp:logs:514", 7L));
    assertThat(families(text))
        .as("names, types and label names are zrepl's (or documented as ours in docs/metrics.md)")
        .containsAllEntriesOf(
            Map.of(
                "zrepl_start_time", "gauge [raw, version_info]",
                "zrepl_daemon_job_up", "gauge [internal, zrepl_job]",
                "zrepl_daemon_log_entries", "untyped [level, zrepl_job]",
                "zrepl_logging_outlet_dropped_total", "counter [outlet]",
                "zrepl_replication_newest_snapshot_age_seconds", "gauge [filesystem, zrepl_job]"));
    assertThat(text)
        .contains("zrepl_start_time{raw=\"0.1.0\",version_info=\"zrepl version=0.1.0 java=")
        .contains(" 1.7955936E9\n")
        .contains("zrepl_daemon_log_entries{level=\"info\",zrepl_job=\"_nojobid\"} 5.0\n")
        .contains("zrepl_daemon_log_entries{level=\"warn\",zrepl_job=\"local1\"} 2.0\n")
        .contains("zrepl_logging_outlet_dropped_total{outlet=\"tcp:logs:514\"} 7.0\n")
        .contains(
            "zrepl_replication_newest_snapshot_age_seconds{filesystem=\"pool/a\",zrepl_job=\"local1\"} 3600.0\n")
        .contains(
            "zrepl_replication_newest_snapshot_age_seconds{filesystem=\"pool/b\",zrepl_job=\"local1\"} 30.0\n")
        .doesNotContain("p/x")
        .contains("zrepl_daemon_job_up{internal=\"false\",zrepl_job=\"snapper\"} 1.0\n");
  }

  @Test
  void perPullerLagOfASourceJob() {
    String text =
        render(
            List::of,
            Map::of,
            Map::of,
            Map::of,
            () ->
                List.of(
                    new Metrics.PullerLag(
                        "src", "backup1", "pool/a", Instant.parse("2026-11-25T09:58:00Z"))));
    assertThat(families(text))
        .containsEntry(
            "zrepl_source_client_newest_snapshot_age_seconds",
            "gauge [client, filesystem, zrepl_job]");
    assertThat(text)
        .contains(
            "zrepl_source_client_newest_snapshot_age_seconds{client=\"backup1\",filesystem=\"pool/a\",zrepl_job=\"src\"} 120.0\n");
  }

  @Test
  void unmatchedFilterRulesUnderZreplsNameTypeAndLabel() {
    String text =
        render(
            List::of, Map::of, Map::of, Map::of, List::of, () -> Map.of("push1", 3L, "snap1", 0L));
    assertThat(families(text))
        .containsEntry("zrepl_zfs_list_unmatched_user_specified_dataset_count", "gauge [jobid]");
    assertThat(text)
        .contains("zrepl_zfs_list_unmatched_user_specified_dataset_count{jobid=\"push1\"} 3.0\n")
        .contains("zrepl_zfs_list_unmatched_user_specified_dataset_count{jobid=\"snap1\"} 0.0\n");
  }

  @Test
  void perPullerLagIsReadFromTheSourceJobsStatus() {
    JobStatus source =
        new JobStatus("src", "source", "serving", "", "", List.of(), List.of())
            .withPullers(
                List.of(
                    new JobStatus.Puller("backup1", "pool/a", "zrepl_1", "2026-11-25T09:58:00Z"),
                    new JobStatus.Puller("backup2", "pool/a", "", "")));
    JobStatus push = new JobStatus("p", "push", "idle", "", "", List.of(), List.of());

    assertThat(Metrics.pullerLag(List.of(push, source)))
        .containsExactly(
            new Metrics.PullerLag(
                "src", "backup1", "pool/a", Instant.parse("2026-11-25T09:58:00Z")));
  }

  /**
   * Each metric family of {@code text} as {@code "type [label names]"} (without {@code le},
   * sorted), so a renamed metric, a changed type or a changed label set fails the test.
   */
  static Map<String, String> families(String text) {
    Map<String, String> types = new java.util.TreeMap<>();
    Map<String, java.util.Set<String>> labels = new java.util.TreeMap<>();
    for (String line : text.lines().toList()) {
      if (line.startsWith("# TYPE ")) {
        String[] p = line.split(" ", 4);
        types.put(p[2], p[3]);
        labels.put(p[2], new java.util.TreeSet<>());
      } else if (!line.startsWith("#") && line.contains("{")) {
        String name = line.substring(0, line.indexOf('{'));
        String family =
            types.containsKey(name) ? name : name.replaceFirst("_(bucket|count|sum|total)$", "");
        java.util.regex.Matcher m =
            java.util.regex.Pattern.compile("([a-zA-Z_]+)=\"")
                .matcher(line.substring(line.indexOf('{')));
        while (m.find()) {
          if (!m.group(1).equals("le") && labels.containsKey(family)) {
            labels.get(family).add(m.group(1));
          }
        }
      }
    }
    Map<String, String> out = new java.util.TreeMap<>();
    types.forEach((n, t) -> out.put(n, t + " " + labels.get(n)));
    return out;
  }

  private static Invocation invocation(
      ReplicationReport report, long replicationMillis, Map<DatasetPath, Instant> newest) {
    return new Invocation(
        report,
        Duration.ofMillis(replicationMillis),
        Optional.of(Duration.ofMillis(30)),
        Optional.of(Duration.ofSeconds(20)),
        newest);
  }

  private static ReplicationReport report(Instant finished, FilesystemResult... results) {
    return new ReplicationReport(
        List.of(results), Set.of(), Optional.empty(), finished.minusSeconds(2), finished);
  }

  @Test
  void replicationInvocationsGiveLastSuccessfulHistogramsAndBytesWithZreplsNames() {
    DatasetPath a = DatasetPath.of("pool/a");
    DatasetPath b = DatasetPath.of("pool/b");
    Instant first = Instant.parse("2026-11-25T09:00:00Z");
    Instant second = Instant.parse("2026-11-25T09:30:00Z");
    JobMetrics jm = new JobMetrics();
    jm.record(
        invocation(
            report(first, new FilesystemResult.Ok(a, "full @s1", 1, 1000)),
            700,
            Map.of(a, first.minusSeconds(60))));
    jm.record(
        invocation(
            report(
                second,
                new FilesystemResult.Ok(a, "@s1 -> @s2", 1, 24),
                new FilesystemResult.Failed(b, "step 1/1: broken", true, 3, 0)),
            3000,
            Map.of(a, second.minusSeconds(60))));
    JobMetrics.Snapshot snap = jm.snapshot();
    assertThat(snap.newestReplicated()).containsExactly(Map.entry(a, second.minusSeconds(60)));

    String text = render(List::of, () -> Map.of("mirror", snap), Map::of, Map::of);
    assertThat(families(text))
        .containsAllEntriesOf(
            Map.of(
                "zrepl_replication_last_successful", "gauge [zrepl_job]",
                "zrepl_replication_filesystem_errors", "gauge [zrepl_job]",
                "zrepl_replication_state_time", "histogram [state, zrepl_job]",
                "zrepl_pruning_time", "histogram [prune_side, zrepl_job]",
                "zrepl_replication_bytes_replicated", "untyped [filesystem, zrepl_job]"));

    assertThat(text)
        .as("the failed second run leaves the last success at the first")
        .contains(
            "zrepl_replication_last_successful{zrepl_job=\"mirror\"} "
                + (double) first.getEpochSecond())
        .contains(
            """
            zrepl_replication_state_time_bucket{state="done",zrepl_job="mirror",le="0.5"} 0
            zrepl_replication_state_time_bucket{state="done",zrepl_job="mirror",le="1.0"} 1
            """)
        .contains(
            """
            zrepl_replication_state_time_bucket{state="filesystem-error",zrepl_job="mirror",le="2.5"} 0
            zrepl_replication_state_time_bucket{state="filesystem-error",zrepl_job="mirror",le="5.0"} 1
            zrepl_replication_state_time_bucket{state="filesystem-error",zrepl_job="mirror",le="10.0"} 1
            zrepl_replication_state_time_bucket{state="filesystem-error",zrepl_job="mirror",le="+Inf"} 1
            zrepl_replication_state_time_count{state="filesystem-error",zrepl_job="mirror"} 1
            zrepl_replication_state_time_sum{state="filesystem-error",zrepl_job="mirror"} 3.0
            """)
        .contains(
            """
            zrepl_pruning_time_bucket{prune_side="receiver",zrepl_job="mirror",le="10.0"} 0
            zrepl_pruning_time_bucket{prune_side="receiver",zrepl_job="mirror",le="+Inf"} 2
            zrepl_pruning_time_count{prune_side="receiver",zrepl_job="mirror"} 2
            zrepl_pruning_time_sum{prune_side="receiver",zrepl_job="mirror"} 40.0
            """)
        .contains(
            "zrepl_pruning_time_bucket{prune_side=\"sender\",zrepl_job=\"mirror\",le=\"0.05\"} 2")
        .contains(
            "zrepl_replication_bytes_replicated{filesystem=\"pool/a\",zrepl_job=\"mirror\"} 1024.0")
        .doesNotContain("filesystem=\"pool/b\",zrepl_job=\"mirror\"} ");
  }

  private static String filesystemErrors(JobMetrics jm) {
    JobMetrics.Snapshot snap = jm.snapshot();
    return render(
            List::of,
            () -> Map.of("mirror", snap, "passive", JobMetrics.Snapshot.NONE),
            Map::of,
            Map::of)
        .lines()
        .filter(l -> l.startsWith("zrepl_replication_filesystem_errors"))
        .collect(java.util.stream.Collectors.joining("\n"));
  }

  @Test
  void filesystemErrorsMeansWhatZreplsGaugeMeans() {
    DatasetPath a = DatasetPath.of("pool/a");
    DatasetPath b = DatasetPath.of("pool/b");
    DatasetPath c = DatasetPath.of("pool/c");
    Instant t = Instant.parse("2026-11-25T09:00:00Z");
    JobMetrics jm = new JobMetrics();
    assertThat(filesystemErrors(jm))
        .as("before the first invocation, as zrepl's gauge starts")
        .isEqualTo("zrepl_replication_filesystem_errors{zrepl_job=\"mirror\"} 0.0");

    jm.record(
        invocation(
            new ReplicationReport(
                List.of(),
                Set.of(),
                Optional.of("connect to sink:8888: Connection refused"),
                t.minusSeconds(1),
                t),
            10,
            Map.of()));
    assertThat(filesystemErrors(jm))
        .as("a planning or connection failure")
        .isEqualTo("zrepl_replication_filesystem_errors{zrepl_job=\"mirror\"} -1.0");

    jm.record(
        invocation(
            report(
                t.plusSeconds(60),
                new FilesystemResult.Ok(a, "@s1 -> @s2", 1, 24),
                new FilesystemResult.Failed(b, "step 1/1: broken", true, 3, 0),
                new FilesystemResult.Failed(c, "step 1/2: broken", true, 3, 0)),
            10,
            Map.of()));
    assertThat(filesystemErrors(jm))
        .as("two failed filesystems of three")
        .isEqualTo("zrepl_replication_filesystem_errors{zrepl_job=\"mirror\"} 2.0");

    jm.record(
        invocation(
            report(
                t.plusSeconds(120),
                new FilesystemResult.Ok(b, "@s1 -> @s2", 1, 24),
                new FilesystemResult.Ok(c, "@s1 -> @s2", 1, 24)),
            10,
            Map.of()));
    assertThat(filesystemErrors(jm))
        .as("the next successful run clears it")
        .isEqualTo("zrepl_replication_filesystem_errors{zrepl_job=\"mirror\"} 0.0");

    jm.record(
        invocation(
            report(t.plusSeconds(180), new FilesystemResult.Failed(a, "broken", true, 3, 0)),
            10,
            Map.of()));
    assertThat(filesystemErrors(jm))
        .as("all filesystems failing is their count, not -1: they were enumerated")
        .isEqualTo("zrepl_replication_filesystem_errors{zrepl_job=\"mirror\"} 1.0");
  }
}
