package org.zrepl.cli.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.zrepl.app.daemon.JobStatus;
import org.zrepl.app.daemon.StatusReport;

/** The JSON of {@code status --mode raw} as docs/status.md describes it, and its way back. */
class StatusJsonTest {

  private final ObjectMapper json = new ObjectMapper();

  @Test
  void theReportCarriesItsSchemaAndTheViewsAndReadsBackEqual() throws Exception {
    JobStatus j =
        new JobStatus(
                "backup",
                "push",
                "idle",
                "",
                "",
                List.of(),
                List.of(
                    new JobStatus.DatasetStatus(
                        "pool/a", "done", "", 10, 20, "", "2026-11-25T10:00:00Z")))
            .withViews(
                "2026-11-25T11:00:00Z",
                "2026-11-25T11:00:00Z",
                new JobStatus.Snapshotting(
                    "2026-11-25T10:00:00Z",
                    List.of(new JobStatus.SnapshotResult("pool/a", "taken", "zrepl_1", ""))),
                List.of(
                    new JobStatus.Pruning(
                        "sender", List.of(new JobStatus.PruneResult("pool/a", 1, 3, 0, "")))));
    StatusReport r =
        new StatusReport("0.1.0", "2026-11-25T09:00:00Z", "/etc/zrepl/zrepl.yml", List.of(j));

    JsonNode tree = json.valueToTree(r);
    assertThat(tree.get("schema").asInt()).isEqualTo(StatusReport.SCHEMA).isEqualTo(2);
    JsonNode job = tree.get("jobs").get(0);
    assertThat(job.get("nextSnapshotAt").asText()).isEqualTo("2026-11-25T11:00:00Z");
    assertThat(job.get("snapshotting").get("filesystems").get(0).get("snapshot").asText())
        .isEqualTo("zrepl_1");
    assertThat(job.get("pruning").get(0).get("filesystems").get(0).get("total").asInt())
        .isEqualTo(3);
    assertThat(job.get("datasets").get(0).get("newestReplicatedAt").asText())
        .isEqualTo("2026-11-25T10:00:00Z");

    assertThat(json.treeToValue(tree, StatusReport.class)).isEqualTo(r);
  }

  @Test
  void attemptsPlanErrorsAndTheEncryptedMarkerAreFields() throws Exception {
    JobStatus j =
        new JobStatus(
                "backup",
                "push",
                "idle",
                "",
                "",
                List.of(),
                List.of(
                    new JobStatus.DatasetStatus("pool/a", "done", "", 10, 20, "", "", "", "yes"),
                    new JobStatus.DatasetStatus(
                        "pool/c", "conflict", "", 0, -1, "c", "", "pool/c: conflict", "")))
            .withAttempts(
                List.of(
                    new JobStatus.Attempt(
                        1, "2026-11-25T10:00:00Z", "2026-11-25T10:00:01Z", "done", "", 2, 0)));
    StatusReport r = new StatusReport("0.1.0", "", "", List.of(j));

    JsonNode tree = json.valueToTree(r);
    JsonNode job = tree.get("jobs").get(0);
    assertThat(tree.get("schema").asInt()).isEqualTo(2);
    assertThat(job.get("attempts").get(0).get("state").asText()).isEqualTo("done");
    assertThat(job.get("attempts").get(0).get("finishedAt").asText())
        .isEqualTo("2026-11-25T10:00:01Z");
    assertThat(job.get("datasets").get(0).get("encrypted").asText()).isEqualTo("yes");
    assertThat(job.get("datasets").get(1).get("planError").asText()).isEqualTo("pool/c: conflict");
    assertThat(json.treeToValue(tree, StatusReport.class)).isEqualTo(r);
  }

  @Test
  void aJobWithoutSnapshottingSendsNull() throws Exception {
    StatusReport r =
        new StatusReport(
            "0.1.0",
            "",
            "",
            List.of(new JobStatus("sink", "sink", "idle", "", "", List.of(), List.of())));
    JsonNode tree = json.valueToTree(r);
    assertThat(tree.get("jobs").get(0).get("snapshotting").isNull()).isTrue();
    assertThat(json.treeToValue(tree, StatusReport.class)).isEqualTo(r);
  }
}
