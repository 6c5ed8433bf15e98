package org.zrepl.app.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.zrepl.app.logging.LogLevel;
import org.zrepl.app.logging.Logging;

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
            Clock.fixed(NOW, ZoneOffset.UTC));

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
            # HELP zrepl_replication_filesystem_errors number of filesystems that failed replication in the latest attempt, or -1 if all failed
            # TYPE zrepl_replication_filesystem_errors gauge
            zrepl_replication_filesystem_errors{zrepl_job="local1"} 1
            zrepl_replication_filesystem_errors{zrepl_job="allbad"} -1
            # HELP zrepl_replication_newest_snapshot_age_seconds age of the newest snapshot replicated to the receiver, per filesystem
            # TYPE zrepl_replication_newest_snapshot_age_seconds gauge
            zrepl_replication_newest_snapshot_age_seconds{filesystem="pool/a",zrepl_job="local1"} 3600
            zrepl_replication_newest_snapshot_age_seconds{filesystem="pool/b",zrepl_job="local1"} 30
            """);
  }

  @Test
  void labelValuesAreEscaped() {
    assertThat(Metrics.escape("a\"b\\c\nd")).isEqualTo("a\\\"b\\\\c\\nd");
  }
}
