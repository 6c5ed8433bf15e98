package org.zrepl.cli.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.zrepl.app.daemon.JobStatus;
import org.zrepl.app.daemon.StatusReport;

class ScreenTest {

  private static final Instant NOW = Instant.parse("2026-11-25T10:05:00Z");

  private static JobStatus.DatasetStatus fs(
      String name, String state, long bytes, long expected, String newest) {
    return new JobStatus.DatasetStatus(
        name, state, "@zrepl_a -> @zrepl_b", bytes, expected, "", newest);
  }

  private static StatusReport report(JobStatus.DatasetStatus... datasets) {
    return new StatusReport(
        "0.1.0",
        "2026-11-25T10:00:00Z",
        "/etc/zrepl/zrepl.yml",
        List.of(
            new JobStatus(
                "backup",
                "push",
                "running",
                "2026-11-25T10:00:00Z",
                "2026-11-25T10:10:00Z",
                List.of(),
                List.of(datasets)),
            new JobStatus(
                "snaps", "snap", "idle", "", "2026-11-25T11:00:00Z", List.of(), List.of())));
  }

  private static Screen.Frame frame(StatusReport now, Optional<StatusReport> before) {
    return new Screen.Frame(
        Optional.of(now),
        before,
        before.isPresent() ? Duration.ofSeconds(1) : Duration.ZERO,
        Connection.connecting().answered(NOW),
        NOW,
        ZoneOffset.UTC);
  }

  private static void assertFits(List<String> lines, int width, int height) {
    assertThat(lines).hasSize(height);
    assertThat(lines).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(width));
  }

  @Test
  void eightyByTwentyFourShowsJobListDetailAndBarWithoutOverflow() {
    StatusReport r =
        report(
            fs(
                "pool/a/very/long/dataset/name/that/does/not/fit/in/the/detail/pane/at/all",
                "planned",
                0,
                -1,
                ""),
            fs("pool/b", "stepping", 1L << 20, 4L << 20, "2026-11-25T10:02:00Z"));
    List<String> lines =
        Screen.render(frame(r, Optional.empty()), UiState.initial(Optional.empty()), 80, 24);

    assertFits(lines, 80, 24);
    assertThat(lines.get(0)).startsWith("zrepl status: daemon zrepl-jvm 0.1.0");
    assertThat(lines.get(1)).startsWith("jobs").contains("| job backup (push): running");
    assertThat(lines.get(2)).startsWith("> backup");
    assertThat(lines.get(3)).startsWith("  snaps");
    assertThat(String.join("\n", lines))
        .contains(
            "| pool/a/very/long/dataset/name/that/does/not/fit/in/the/detail/pane/"
                + Screen.ELLIPSIS
                + "\n")
        .contains("stepping  [===>        ] 1.0 MiB / 4.0 MiB  lag 3m0s");
    assertThat(lines)
        .filteredOn(l -> l.contains("pool/a/very"))
        .singleElement()
        .satisfies(l -> assertThat(l).hasSize(80));
    assertThat(lines.get(23)).startsWith("updated 10:05:00  q quit");
  }

  @Test
  void progressHasRateAndEtaOnlyWhileStepping() {
    StatusReport before = report(fs("pool/b", "stepping", 1L << 20, 4L << 20, ""));
    StatusReport now = report(fs("pool/b", "stepping", 2L << 20, 4L << 20, ""));
    String stepping =
        String.join(
            "\n",
            Screen.render(
                frame(now, Optional.of(before)), UiState.initial(Optional.empty()), 100, 24));
    assertThat(stepping).contains("2.0 MiB / 4.0 MiB  1.0 MiB/s  ETA 0:02");

    StatusReport waiting = report(fs("pool/b", "step-failed", 2L << 20, 4L << 20, ""));
    String failed =
        String.join(
            "\n",
            Screen.render(
                frame(waiting, Optional.of(before)), UiState.initial(Optional.empty()), 100, 24));
    assertThat(failed).doesNotContain("ETA").doesNotContain("MiB/s").contains("step-failed");
  }

  @Test
  void doneIsDrawnAsDone() {
    StatusReport r = report(fs("pool/b", "done", 11878, 131072, "2026-11-25T10:04:00Z"));
    String s =
        String.join(
            "\n",
            Screen.render(frame(r, Optional.empty()), UiState.initial(Optional.empty()), 80, 24));
    assertThat(s)
        .contains("done  [============] 11.6 KiB sent  lag 1m0s")
        .doesNotContain("128.0 KiB")
        .doesNotContain("ETA");
  }

  private static StatusReport withAttempts(JobStatus.DatasetStatus... datasets) {
    JobStatus backup =
        report(datasets)
            .jobs()
            .get(0)
            .withAttempts(
                List.of(
                    new JobStatus.Attempt(
                        1,
                        "2026-11-25T09:58:00Z",
                        "2026-11-25T09:58:01Z",
                        "planning-error",
                        "listing the receiver: connection refused",
                        0,
                        0),
                    new JobStatus.Attempt(
                        2,
                        "2026-11-25T10:00:00Z",
                        "2026-11-25T10:00:04Z",
                        "filesystem-error",
                        "1 of 2 filesystems failed: pool/c: conflict: diverged",
                        2,
                        1),
                    new JobStatus.Attempt(
                        3, "2026-11-25T10:04:30Z", "", "fan-out-filesystems", "", 2, 0)));
    return new StatusReport(
        "0.1.0", "2026-11-25T10:00:00Z", "", List.of(backup, report().jobs().get(1)));
  }

  @Test
  void attemptsNewestFirstPlanErrorsApartAndTheEncryptedMarkerInEightyByTwentyFour() {
    StatusReport r =
        withAttempts(
            new JobStatus.DatasetStatus(
                "pool/b",
                "stepping",
                "step 1/1 @a -> @b (encrypted=yes)",
                1L << 20,
                4L << 20,
                "",
                "",
                "",
                "yes"),
            new JobStatus.DatasetStatus(
                "pool/c",
                "conflict",
                "conflict: diverged",
                0,
                -1,
                "pool/c: conflict: diverged at @x",
                "2026-11-25T10:00:00Z",
                "pool/c: conflict: diverged at @x",
                ""));
    List<String> lines =
        Screen.render(frame(r, Optional.empty()), UiState.initial(Optional.empty()), 80, 24);

    assertFits(lines, 80, 24);
    String s = String.join("\n", lines);
    assertThat(s)
        .contains("| replication attempts (newest first):")
        .contains("|   #3 fan-out-filesystems at 2026-11-25T10:04:30Z (running 30s)")
        .contains("|   #2 filesystem-error at 2026-11-25T10:00:00Z (ran 4s): 1 of 2")
        .contains("|   #1 planning-error at 2026-11-25T09:58:00Z (ran 1s): listing")
        .contains("| * pool/b")
        .contains("|   step 1/1 @a -> @b (encrypted=yes)")
        .contains("| plan errors: 1 filesystem not replicated")
        .contains("|   pool/c  lag 5m0s")
        .contains("|     conflict: diverged at @x");
    assertThat(s.indexOf("#3")).isLessThan(s.indexOf("#2")).isLessThan(s.indexOf("#1"));
    assertThat(lines)
        .as("the conflicting filesystem is no failed step: not in the stepping list")
        .noneMatch(l -> l.contains("last error"))
        .filteredOn(l -> l.contains("pool/c"))
        .hasSize(1);
  }

  @Test
  void wrapBreaksAtWordBoundariesOnlyWhenToggled() {
    assertThat(Screen.shape("  last error: dataset is busy right now", 20, false))
        .containsExactly("  last error: datas" + Screen.ELLIPSIS);
    assertThat(Screen.shape("  last error: dataset is busy right now", 20, true))
        .containsExactly("  last error:", "    dataset is busy", "    right now");
    assertThat(Screen.shape("abcdefghijklmnopqrstuvwxyz", 10, true))
        .containsExactly("abcdefghij", "  klmnopqr", "  stuvwxyz");
  }

  @Test
  void filterHidesFilesystemsThatDoNotMatch() {
    StatusReport r = report(fs("pool/a", "done", 0, -1, ""), fs("pool/b", "done", 0, -1, ""));
    UiState ui = UiState.initial(Optional.empty()).withFilter("/b$", false, "", "");
    List<String> lines = Screen.render(frame(r, Optional.empty()), ui, 80, 24);
    String s = String.join("\n", lines);
    assertThat(s)
        .contains("filesystems: 2, 1 match //b$/")
        .contains("| pool/b")
        .doesNotContain("| pool/a");
    assertThat(lines.get(22)).isEqualTo("filter //b$/  (/ edits, Esc clears)");
  }

  @Test
  void theBarSaysWhenTheDaemonIsUnreachableAndWhenItIsBack() {
    Connection down =
        Connection.connecting()
            .answered(NOW.minusSeconds(30))
            .failed(NOW.minusSeconds(20), "connection refused")
            .failed(NOW.minusSeconds(10), "connection refused");
    Screen.Frame f =
        new Screen.Frame(
            Optional.of(report()), Optional.empty(), Duration.ZERO, down, NOW, ZoneOffset.UTC);
    List<String> lines = Screen.render(f, UiState.initial(Optional.empty()), 80, 24);
    assertThat(lines.get(23))
        .isEqualTo("DAEMON UNREACHABLE since 10:04:40 (20s), retrying: connection refused");

    Connection back = down.answered(NOW.minusSeconds(2));
    lines =
        Screen.render(
            new Screen.Frame(
                Optional.of(report()), Optional.empty(), Duration.ZERO, back, NOW, ZoneOffset.UTC),
            UiState.initial(Optional.empty()),
            80,
            24);
    assertThat(lines.get(23))
        .startsWith("daemon reachable again at 10:04:58 (unreachable since 10:04:40)");
  }

  @Test
  void theMenuListsTheSignalsAndHighlightsOne() {
    UiState ui = UiState.initial(Optional.of("snaps")).withMenu(2);
    String s = String.join("\n", Screen.render(frame(report(), Optional.empty()), ui, 80, 24));
    assertThat(s)
        .contains("| signal job snaps:")
        .contains("|   > snapshot  take snapshots now")
        .contains("|     wakeup");
  }

  @Test
  void onlyJobShowsOnlyThatJob() {
    List<String> lines =
        Screen.render(
            frame(report(), Optional.empty()), UiState.initial(Optional.of("snaps")), 80, 24);
    assertThat(lines.get(2)).startsWith("> snaps");
    assertThat(String.join("\n", lines)).doesNotContain("backup");
  }

  @Test
  void controlCharactersFromTheDaemonCannotMoveTheCursor() {
    StatusReport r =
        report(new JobStatus.DatasetStatus("pool/a", "failed", "", 0, -1, "bad\n\033[2Jthing", ""));
    String s =
        String.join(
            "\n",
            Screen.render(frame(r, Optional.empty()), UiState.initial(Optional.empty()), 80, 24));
    assertThat(s).contains("last error: bad??[2Jthing").doesNotContain("\033");
  }

  @Test
  void tinyTerminalsStillGetExactlyTheirSize() {
    assertFits(
        Screen.render(frame(report(), Optional.empty()), UiState.initial(Optional.empty()), 20, 4),
        20,
        4);
    assertFits(
        Screen.render(frame(report(), Optional.empty()), UiState.initial(Optional.empty()), 5, 1),
        5,
        1);
  }

  @Test
  void scheduleSnapshottingAndPruningViewsFollowTheFilter() {
    JobStatus j =
        new JobStatus(
                "backup",
                "push",
                "idle",
                "2026-11-25T10:00:00Z",
                "2026-11-25T10:10:00Z",
                List.of(),
                List.of())
            .withViews(
                "2026-11-25T10:10:00Z",
                "2026-11-25T10:10:00Z",
                new JobStatus.Snapshotting(
                    "2026-11-25T10:00:00Z",
                    List.of(
                        new JobStatus.SnapshotResult("pool/a", "taken", "zrepl_1000", ""),
                        new JobStatus.SnapshotResult(
                            "pool/b", "failed", "zrepl_1000", "out of space"))),
                List.of(
                    new JobStatus.Pruning(
                        "sender",
                        List.of(
                            new JobStatus.PruneResult("pool/a", 2, 5, 0, ""),
                            new JobStatus.PruneResult("pool/b", 0, 3, 1, "@x: dataset is busy"))),
                    new JobStatus.Pruning("receiver", List.of())));
    StatusReport r = new StatusReport("0.1.0", "2026-11-25T10:00:00Z", "", List.of(j));
    String all =
        String.join(
            "\n",
            Screen.render(frame(r, Optional.empty()), UiState.initial(Optional.empty()), 80, 30));
    assertThat(all)
        .contains("| next snapshot: 2026-11-25T10:10:00Z\n")
        .contains("| next replication: 2026-11-25T10:10:00Z\n")
        .contains("| snapshotting: last round 2026-11-25T10:00:00Z")
        .contains("|   pool/a  @zrepl_1000")
        .contains("|   pool/b  failed: out of space")
        .contains("| pruning sender: Done, destroyed 2 of 8 snapshots in 2 filesystems")
        .contains("|   pool/b  0/3  failed 1: @x: dataset is busy")
        .contains("| pruning receiver: Done, destroyed 0 of 0 snapshots in 0 filesystems");
    UiState onlyA = UiState.initial(Optional.empty()).withFilter("a$", false, "", "");
    String filtered = String.join("\n", Screen.render(frame(r, Optional.empty()), onlyA, 80, 30));
    assertThat(filtered).contains("|   pool/a  2/5").doesNotContain("pool/b");
  }

  @Test
  void theSnapshottingViewShowsTheRoundsDurationAndEachFilesystemsHookResults() {
    JobStatus.Snapshotting s =
        new JobStatus.Snapshotting(
            "2026-11-25T10:00:00Z",
            List.of(
                new JobStatus.SnapshotResult(
                    "pool/a",
                    "taken",
                    "zrepl_1000",
                    "",
                    "pre_snapshot hook /bin/freeze: exit status 0"),
                new JobStatus.SnapshotResult(
                    "pool/b",
                    "skipped",
                    "zrepl_1000",
                    "skipped: pre_snapshot hook /bin/freeze for pool/b: exit status 1",
                    "pre_snapshot hook /bin/freeze: exit status 1")),
            1250);
    assertThat(RoundViews.snapshotting(s, Optional.empty(), Optional.empty()))
        .containsExactly(
            "",
            "snapshotting: last round 2026-11-25T10:00:00Z (took 1.3s)",
            "  pool/a  @zrepl_1000",
            "    hooks: pre_snapshot hook /bin/freeze: exit status 0",
            "  pool/b  skipped: skipped: pre_snapshot hook /bin/freeze for pool/b: exit status 1",
            "    hooks: pre_snapshot hook /bin/freeze: exit status 1");
  }

  @Test
  void aManualPushSaysReplicationWaitsForWakeup() {
    JobStatus j = new JobStatus("p", "push", "idle", "", "", List.of(), List.of());
    assertThat(Screen.schedule(j)).containsExactly("next replication: on signal wakeup");
    assertThat(Screen.schedule(new JobStatus("s", "sink", "idle", "", "", List.of(), List.of())))
        .isEmpty();
  }

  @Test
  void theRunsProgressSumsItsStepsAndTheActiveFilesystemsAreMarked() {
    StatusReport before =
        report(
            fs("pool/a", "stepping", 1L << 20, 4L << 20, ""),
            fs("pool/b", "done", 2L << 20, 3L << 20, ""),
            fs("pool/c", "stepping", 0, 1L << 20, ""),
            fs("pool/d", "planned", 0, -1, ""));
    StatusReport now =
        report(
            fs("pool/a", "stepping", 2L << 20, 4L << 20, ""),
            fs("pool/b", "done", 2L << 20, 3L << 20, ""),
            fs("pool/c", "stepping", 0, 1L << 20, ""),
            fs("pool/d", "planned", 0, -1, ""));

    List<String> lines =
        Screen.render(frame(now, Optional.of(before)), UiState.initial(Optional.empty()), 80, 24);

    assertFits(lines, 80, 24);
    String s = String.join("\n", lines);
    assertThat(s)
        .contains("| replication: 2 of 4 filesystems done, 2 stepping".replace("2 of", "1 of"))
        .contains("|   [======>     ] 4.0 MiB / 7.0 MiB  1.0 MiB/s  ETA 0:03")
        .contains("| * pool/a\n")
        .contains("| * pool/c\n")
        .contains("| pool/b\n")
        .contains("| pool/d\n");
  }

  @Test
  void theRunsTotalIsUnknownWhenAStepHasNoEstimate() {
    StatusReport r =
        report(fs("pool/a", "stepping", 1L << 20, -1, ""), fs("pool/b", "done", 1L << 20, -1, ""));

    String s =
        String.join(
            "\n",
            Screen.render(frame(r, Optional.empty()), UiState.initial(Optional.empty()), 80, 24));

    assertThat(s).contains("] 2.0 MiB / unknown total").doesNotContain("ETA");
  }

  @Test
  void aSourceShowsEachPullersNewestSnapshotAndLag() {
    JobStatus source =
        new JobStatus(
                "serve", "source", "serving", "", "", List.of(), List.of(), "", "", null, List.of())
            .withPullers(
                List.of(
                    new JobStatus.Puller("backup1", "pool/a", "zrepl_1000", "2026-11-25T10:00:00Z"),
                    new JobStatus.Puller("backup1", "pool/b", "zrepl_1000", "2026-11-25T10:00:00Z"),
                    new JobStatus.Puller(
                        "offsite", "pool/a", "zrepl_0900", "2026-11-25T09:00:00Z")));
    StatusReport r = new StatusReport("0.1.0", "2026-11-25T08:00:00Z", "", List.of(source));

    List<String> lines =
        Screen.render(frame(r, Optional.empty()), UiState.initial(Optional.empty()), 80, 24);
    List<String> filtered =
        Screen.detail(
            source,
            frame(r, Optional.empty()),
            UiState.initial(Optional.empty()).withFilter("pool/b", false, "", ""));

    assertFits(lines, 80, 24);
    assertThat(String.join("\n", lines))
        .contains("| pullers: newest snapshot replicated (since the daemon started), lag\n")
        .contains("|   backup1\n")
        .contains("|     pool/a  @zrepl_1000  lag 5m0s\n")
        .contains("|     pool/b  @zrepl_1000  lag 5m0s\n")
        .contains("|   offsite\n")
        .contains("|     pool/a  @zrepl_0900  lag 1h5m");
    assertThat(filtered).contains("  backup1", "    pool/b  @zrepl_1000  lag 5m0s");
    assertThat(filtered).doesNotContain("  offsite");
  }

  @Test
  void aSourceWithoutPullersSaysSo() {
    JobStatus source =
        new JobStatus(
            "serve", "source", "serving", "", "", List.of(), List.of(), "", "", null, List.of());
    StatusReport r = new StatusReport("0.1.0", "2026-11-25T08:00:00Z", "", List.of(source));

    assertThat(Screen.detail(source, frame(r, Optional.empty()), UiState.initial(Optional.empty())))
        .contains("pullers: none has completed a step since the daemon started");
  }
}
