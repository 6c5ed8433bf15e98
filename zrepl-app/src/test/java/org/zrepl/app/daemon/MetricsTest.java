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

class MetricsTest {

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
    Metrics m =
        new Metrics(
                () -> jobs,
                () ->
                    Map.of(
                        new Logging.Key("local1", LogLevel.WARN), 2L,
                        new Logging.Key("", LogLevel.INFO), 5L),
                "0.1.0",
                Instant.parse("2026-11-25T08:00:00Z"),
                Clock.fixed(NOW, ZoneOffset.UTC))
            .withDroppedLines(() -> Map.of("tcp:logs:514", 7L));

    assertThat(m.render())
        .isEqualTo(
            """
            # HELP zrepl_start_time zrepl daemon start time (unix seconds)
            # TYPE zrepl_start_time gauge
            zrepl_start_time{raw="0.1.0"} 1795593600
            # HELP zrepl_version_daemon zrepl daemon version
            # TYPE zrepl_version_daemon gauge
            zrepl_version_daemon{raw="0.1.0"} 1
            # HELP zrepl_daemon_log_entries number of log entries per job and level, whatever the outlets' levels
            # TYPE zrepl_daemon_log_entries counter
            zrepl_daemon_log_entries{level="info",zrepl_job=""} 5
            zrepl_daemon_log_entries{level="warn",zrepl_job="local1"} 2
            # HELP zrepl_logging_outlet_dropped_total log lines a logging outlet could not deliver (peer away, no syslog daemon, ...)
            # TYPE zrepl_logging_outlet_dropped_total counter
            zrepl_logging_outlet_dropped_total{outlet="tcp:logs:514"} 7
            # HELP zrepl_replication_filesystem_errors number of filesystems that failed replication in the latest replication attempt, or -1 if the job failed before enumerating the filesystems
            # TYPE zrepl_replication_filesystem_errors gauge
            # HELP zrepl_replication_newest_snapshot_age_seconds age of the newest snapshot replicated to the receiver, per filesystem
            # TYPE zrepl_replication_newest_snapshot_age_seconds gauge
            zrepl_replication_newest_snapshot_age_seconds{filesystem="pool/a",zrepl_job="local1"} 3600
            zrepl_replication_newest_snapshot_age_seconds{filesystem="pool/b",zrepl_job="local1"} 30
            # HELP zrepl_replication_last_successful timestamp of last successful replication (unix seconds)
            # TYPE zrepl_replication_last_successful gauge
            # HELP zrepl_replication_state_time seconds spent during replication
            # TYPE zrepl_replication_state_time histogram
            # HELP zrepl_pruning_time seconds spent in pruner
            # TYPE zrepl_pruning_time histogram
            # HELP zrepl_replication_bytes_replicated number of bytes replicated from sender to receiver per filesystem
            # TYPE zrepl_replication_bytes_replicated counter
            """);
  }

  @Test
  void labelValuesAreEscaped() {
    assertThat(Metrics.escape("a\"b\\c\nd")).isEqualTo("a\\\"b\\\\c\\nd");
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

    String text =
        new Metrics(
                List::of,
                () -> Map.of("mirror", snap),
                Map::of,
                "0.1.0",
                Instant.parse("2026-11-25T08:00:00Z"),
                Clock.fixed(NOW, ZoneOffset.UTC))
            .render();

    assertThat(text)
        .as("the failed second run leaves the last success at the first")
        .contains(
            "zrepl_replication_last_successful{zrepl_job=\"mirror\"} " + first.getEpochSecond())
        .contains(
            """
            zrepl_replication_state_time_bucket{state="done",zrepl_job="mirror",le="0.5"} 0
            zrepl_replication_state_time_bucket{state="done",zrepl_job="mirror",le="1"} 1
            """)
        .contains(
            """
            zrepl_replication_state_time_bucket{state="error",zrepl_job="mirror",le="2.5"} 0
            zrepl_replication_state_time_bucket{state="error",zrepl_job="mirror",le="5"} 1
            zrepl_replication_state_time_bucket{state="error",zrepl_job="mirror",le="10"} 1
            zrepl_replication_state_time_bucket{state="error",zrepl_job="mirror",le="+Inf"} 1
            zrepl_replication_state_time_sum{state="error",zrepl_job="mirror"} 3
            zrepl_replication_state_time_count{state="error",zrepl_job="mirror"} 1
            """)
        .contains(
            """
            zrepl_pruning_time_bucket{prune_side="receiver",zrepl_job="mirror",le="10"} 0
            zrepl_pruning_time_bucket{prune_side="receiver",zrepl_job="mirror",le="+Inf"} 2
            zrepl_pruning_time_sum{prune_side="receiver",zrepl_job="mirror"} 40
            zrepl_pruning_time_count{prune_side="receiver",zrepl_job="mirror"} 2
            """)
        .contains(
            "zrepl_pruning_time_bucket{prune_side=\"sender\",zrepl_job=\"mirror\",le=\"0.05\"} 2")
        .contains(
            "zrepl_replication_bytes_replicated{filesystem=\"pool/a\",zrepl_job=\"mirror\"} 1024")
        .doesNotContain("filesystem=\"pool/b\",zrepl_job=\"mirror\"} ");
  }

  private static String filesystemErrors(JobMetrics jm) {
    JobMetrics.Snapshot snap = jm.snapshot();
    return new Metrics(
            List::of,
            () -> Map.of("mirror", snap, "passive", JobMetrics.Snapshot.NONE),
            Map::of,
            "0.1.0",
            Instant.parse("2026-11-25T08:00:00Z"),
            Clock.fixed(NOW, ZoneOffset.UTC))
        .render()
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
        .isEqualTo("zrepl_replication_filesystem_errors{zrepl_job=\"mirror\"} 0");

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
        .isEqualTo("zrepl_replication_filesystem_errors{zrepl_job=\"mirror\"} -1");

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
        .isEqualTo("zrepl_replication_filesystem_errors{zrepl_job=\"mirror\"} 2");

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
        .isEqualTo("zrepl_replication_filesystem_errors{zrepl_job=\"mirror\"} 0");

    jm.record(
        invocation(
            report(t.plusSeconds(180), new FilesystemResult.Failed(a, "broken", true, 3, 0)),
            10,
            Map.of()));
    assertThat(filesystemErrors(jm))
        .as("all filesystems failing is their count, not -1: they were enumerated")
        .isEqualTo("zrepl_replication_filesystem_errors{zrepl_job=\"mirror\"} 1");
  }

  @Test
  void numbersAreWrittenAsPrometheusGoClientsWriteThem() {
    assertThat(Metrics.number(0.005)).isEqualTo("0.005");
    assertThat(Metrics.number(1.0)).isEqualTo("1");
    assertThat(Metrics.number(2.5)).isEqualTo("2.5");
    assertThat(Metrics.number(3.7)).isEqualTo("3.7");
  }
}
