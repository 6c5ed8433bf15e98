package org.zrepl.cli.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.zrepl.app.daemon.JobStatus;
import org.zrepl.app.daemon.StatusReport;

/**
 * The snapshotter's states and a prune run in progress, as the interactive view, the dump and the
 * JSON show them.
 */
class RoundViewsTest {

  private static final Instant NOW = Instant.parse("2026-11-25T10:20:00Z");

  /** The sender's prune run in Exec: pool/a completed (2 of 5 gone), pool/b and pool/c pending. */
  private static JobStatus.Pruning running() {
    return new JobStatus.Pruning(
        "sender",
        List.of(
            new JobStatus.PruneResult("pool/a", 2, 5, 0, "", 2, true),
            new JobStatus.PruneResult("pool/b", 0, 7, 0, "", 3, false),
            new JobStatus.PruneResult("pool/c", 0, 4, 0, "", 1, false)),
        "Exec",
        "");
  }

  private static JobStatus.Snapshotting waiting() {
    return new JobStatus.Snapshotting(
        "2026-11-25T10:00:00Z",
        List.of(new JobStatus.SnapshotResult("pool/a", "taken", "zrepl_1000", "")),
        300,
        "Waiting",
        "2026-11-25T11:00:00Z",
        "");
  }

  private static JobStatus job(JobStatus.Snapshotting s, List<JobStatus.Pruning> p) {
    return new JobStatus(
            "backup", "push", "running", "2026-11-25T10:00:00Z", "", List.of(), List.of())
        .withViews("2026-11-25T11:00:00Z", "2026-11-25T11:00:00Z", s, p);
  }

  @Test
  void aRunningPruneShowsDestroyedOfPlannedAndItsPendingAndCompletedFilesystems() {
    assertThat(RoundViews.pruning(running(), Optional.empty()))
        .containsExactly(
            "",
            "pruning sender: Exec, 1 of 3 filesystems completed, 2 pending",
            "  [====>       ] destroyed 2 of 6",
            "  pool/a  2/5",
            "  pool/b  pending: destroy 3 of 7",
            "  pool/c  pending: destroy 1 of 4");
  }

  @Test
  void planAndPlanErrSayWhatThePrunerDoesOrWhyItFailed() {
    assertThat(RoundViews.headline(new JobStatus.Pruning("receiver", List.of(), "Plan", "")))
        .isEqualTo("Plan (listing and planning)");
    assertThat(
            RoundViews.headline(
                new JobStatus.Pruning("receiver", List.of(), "PlanErr", "connection refused")))
        .isEqualTo("PlanErr: connection refused");
    assertThat(
            RoundViews.headline(
                new JobStatus.Pruning(
                    "local",
                    List.of(new JobStatus.PruneResult("pool/a", 1, 3, 1, "@x: busy")),
                    "ExecErr",
                    "")))
        .isEqualTo("ExecErr, destroyed 1 of 3 snapshots in 1 filesystems");
  }

  @Test
  void theSnapshottingViewLeadsWithTheSnapperStateAndHowLongItSleeps() {
    assertThat(RoundViews.snapshotting(waiting(), Optional.empty(), Optional.of(NOW)))
        .containsExactly(
            "",
            "snapshotting: Waiting until 2026-11-25T11:00:00Z (in 40m0s)",
            "  last round 2026-11-25T10:00:00Z (took 0.3s)",
            "  pool/a  @zrepl_1000");
    JobStatus.Snapshotting failed =
        new JobStatus.Snapshotting(
            "2026-11-25T10:00:00Z",
            List.of(),
            0,
            "ErrorWait",
            "2026-11-25T10:00:00Z",
            "pool/a: snapshot failed: out of space");
    assertThat(RoundViews.snapshotting(failed, Optional.empty(), Optional.of(NOW)))
        .startsWith(
            "",
            "snapshotting: ErrorWait until 2026-11-25T10:00:00Z (due)",
            "  error: pool/a: snapshot failed: out of space");
    JobStatus.Snapshotting now =
        new JobStatus.Snapshotting("", List.of(), 0, "Snapshotting", "", "");
    assertThat(RoundViews.snapshotting(now, Optional.empty(), Optional.of(NOW)))
        .containsExactly("", "snapshotting: Snapshotting", "  no round yet");
  }

  @Test
  void theInteractiveViewDrawsBothAt80x24() {
    StatusReport r =
        new StatusReport(
            "0.1.0", "2026-11-25T09:00:00Z", "", List.of(job(waiting(), List.of(running()))));
    Screen.Frame f =
        new Screen.Frame(
            Optional.of(r),
            Optional.empty(),
            Duration.ZERO,
            Connection.connecting().answered(NOW),
            NOW,
            ZoneOffset.UTC);
    List<String> lines = Screen.render(f, UiState.initial(Optional.empty()), 80, 24);
    assertThat(lines).hasSize(24).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(80));
    String all = String.join("\n", lines);
    assertThat(all)
        .contains("| snapshotting: Waiting until 2026-11-25T11:00:00Z (in 40m0s)")
        .contains("| pruning sender: Exec, 1 of 3 filesystems completed, 2 pending")
        .contains("|   pool/b  pending: destroy 3 of 7");
  }

  @Test
  void theDumpSaysTheSnapperStateAndEachPruneRunOnALine() {
    JobStatus.Snapshotting failed =
        new JobStatus.Snapshotting(
            "", List.of(), 0, "SyncUpErrWait", "2026-11-25T11:00:00Z", "every filesystem failed");
    JobStatus.Pruning done =
        new JobStatus.Pruning(
            "receiver", List.of(new JobStatus.PruneResult("pool/a", 1, 3, 0, "")), "Done", "");
    StatusReport r =
        new StatusReport("0.1.0", "", "", List.of(job(failed, List.of(running(), done))));

    assertThat(StatusView.render(r, Optional.empty(), Duration.ZERO, Optional.of(NOW)))
        .contains(
            "\n  snapshotter: SyncUpErrWait until 2026-11-25T11:00:00Z (in 40m0s):"
                + " every filesystem failed\n")
        .contains(
            "\n  pruning sender: Exec, 1 of 3 filesystems completed, 2 pending,"
                + " destroyed 2 of 6 planned\n")
        .contains("\n  pruning receiver: Done, destroyed 1 of 3 snapshots in 1 filesystems\n");
  }

  @Test
  void theJsonCarriesTheStatesAndReadsBackEqual() throws Exception {
    ObjectMapper json = new ObjectMapper();
    StatusReport r = new StatusReport("0.1.0", "", "", List.of(job(waiting(), List.of(running()))));

    JsonNode tree = json.valueToTree(r);
    JsonNode j = tree.get("jobs").get(0);
    assertThat(tree.get("schema").asInt()).isEqualTo(2);
    assertThat(j.get("snapshotting").get("state").asText()).isEqualTo("Waiting");
    assertThat(j.get("snapshotting").get("sleepUntil").asText()).isEqualTo("2026-11-25T11:00:00Z");
    assertThat(j.get("pruning").get(0).get("state").asText()).isEqualTo("Exec");
    JsonNode b = j.get("pruning").get(0).get("filesystems").get(1);
    assertThat(b.get("completed").asBoolean()).isFalse();
    assertThat(b.get("toDestroy").asInt()).isEqualTo(3);
    assertThat(json.treeToValue(tree, StatusReport.class)).isEqualTo(r);
  }

  @Test
  void aReportFromAnOlderDaemonReadsWithoutTheStates() throws Exception {
    String older =
        "{\"schema\":1,\"version\":\"0.1.0\",\"startedAt\":\"\",\"configFile\":\"\",\"jobs\":[{"
            + "\"name\":\"s\",\"type\":\"snap\",\"state\":\"idle\",\"snapshotting\":{\"at\":\"\","
            + "\"filesystems\":[],\"millis\":0},\"pruning\":[{\"side\":\"local\",\"filesystems\":"
            + "[{\"filesystem\":\"pool/a\",\"destroyed\":1,\"total\":3,\"failed\":0,\"error\":\"\"}]"
            + "}]}]}";
    StatusReport r = new ObjectMapper().readValue(older, StatusReport.class);
    JobStatus j = r.jobs().get(0);
    assertThat(j.snapshotting().state()).isEmpty();
    assertThat(RoundViews.snapshotting(j.snapshotting(), Optional.empty(), Optional.of(NOW)))
        .containsExactly("", "snapshotting: no round yet");
    assertThat(RoundViews.headline(j.pruning().get(0)))
        .isEqualTo("destroyed 1 of 3 snapshots in 1 filesystems");
  }
}
