package org.zrepl.app.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.zrepl.app.config.Job;
import org.zrepl.app.testing.ManualClock;
import org.zrepl.app.testing.ManualScheduler;
import org.zrepl.app.testing.RecordingCommandRunner;
import org.zrepl.app.testing.TestConfigs;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.port.zfs.ZfsCapabilities;
import org.zrepl.zfs.fake.InMemoryZfs;

/**
 * How many {@code zfs} processes one replication step of a local job starts (issue 13: the cost of
 * a tree is this count times the number of filesystems). A tree {@code src/t} with {@code n}
 * children is replicated by {@code zrepl run --once} (manual snapshotting, keep everything), once
 * in full and once incrementally; the cost of a step is the difference between a tree of four and a
 * tree of two children, divided by two, so that the invocation's own listings do not count. The
 * commands of one child's steps are checked by name, so that a change in what a step runs shows
 * here as a diff of command lines. The fake counts what {@code CliZfs} would run (its listings are
 * shown as {@code zfs list}, where {@code CliZfs} runs {@code zfs get}).
 */
class StepProcessesTest {

  private static final String YAML =
      """
      jobs:
      - name: p
        type: local
        mapping: { "src/t<": "dst/t" }
        snapshotting: { type: manual }
        pruning:
          keep_sender: [ { type: regex, regex: ".*" } ]
          keep_receiver: [ { type: regex, regex: ".*" } ]
      """;

  /**
   * The processes of an initial and an incremental invocation of a tree with {@code n} children.
   */
  private record Counted(List<List<String>> initial, List<List<String>> incremental) {}

  private static Counted run(ZfsCapabilities caps, int children) {
    ManualClock clock = new ManualClock(Instant.parse("2026-03-01T00:00:00Z"));
    InMemoryZfs zfs = new InMemoryZfs(caps, clock, 5);
    zfs.createPool("src");
    zfs.createPool("dst");
    List<DatasetPath> all = new ArrayList<>();
    DatasetPath top = DatasetPath.of("src/t");
    all.add(top);
    for (int i = 1; i <= children; i++) {
      all.add(top.child("d" + i));
    }
    for (DatasetPath fs : all) {
      zfs.createFilesystem(fs, Map.of(), false);
      zfs.write(fs, "f", fs.toString().getBytes(StandardCharsets.UTF_8));
    }
    ReplicationJob job =
        LocalJob.of(
            (Job.Local) TestConfigs.job(YAML, "p"),
            zfs,
            new RecordingCommandRunner(),
            clock,
            new ManualScheduler(clock),
            clock::advance,
            Runnable::run);
    zfs.snapshot(all, "s1");
    int before = zfs.commandsStarted().size();
    succeeds(job.runOnce());
    List<List<String>> initial =
        zfs.commandsStarted().subList(before, zfs.commandsStarted().size());
    zfs.write(top.child("d1"), "f", "changed".getBytes(StandardCharsets.UTF_8));
    zfs.snapshot(all, "s2");
    before = zfs.commandsStarted().size();
    succeeds(job.runOnce());
    List<List<String>> incremental =
        zfs.commandsStarted().subList(before, zfs.commandsStarted().size());
    assertThat(zfs.listVersions(DatasetPath.of("dst/t/d" + children)))
        .extracting(v -> v.name())
        .containsExactly("s1", "s2");
    return new Counted(List.copyOf(initial), List.copyOf(incremental));
  }

  private static void succeeds(ReplicationJobState s) {
    assertThat(s.errors()).isEmpty();
  }

  /** The commands whose every dataset argument names {@code src/t/d2} or its target. */
  private static List<String> ofChild2(List<List<String>> commands) {
    List<String> out = new ArrayList<>();
    for (List<String> argv : commands) {
      List<String> paths = argv.stream().filter(a -> a.contains("/")).toList();
      if (!paths.isEmpty() && paths.stream().allMatch(a -> a.contains("t/d2"))) {
        String what =
            argv.get(1).equals("get") || argv.get(1).equals("list")
                ? " " + argv.get(argv.size() - 2)
                : "";
        out.add(String.join(" ", argv.subList(0, 2)) + what + " " + argv.get(argv.size() - 1));
      }
    }
    return out;
  }

  /** The {@code zfs set zrepl:cursors} command lines. */
  private static List<String> setsOfCursors(List<List<String>> commands) {
    return commands.stream()
        .filter(a -> a.get(1).equals("set") && a.get(2).startsWith("zrepl:cursors="))
        .map(a -> String.join(" ", a))
        .toList();
  }

  private static double perStep(List<List<String>> four, List<List<String>> two) {
    return (four.size() - two.size()) / 2.0;
  }

  @Test
  void zfsFuse() {
    Counted two = run(ZfsCapabilities.zfsFuse(), 2);
    Counted four = run(ZfsCapabilities.zfsFuse(), 4);
    SoftAssertions soft = new SoftAssertions();

    // before (session 7): send, get referenced (estimate), get type of the parent, recv,
    // get mountpoint,sharenfs,sharesmb (mask), list (guid check), set zrepl:cursors; before
    // session 12 the step's own set zrepl:cursors (now one set for the whole run, below)
    soft.assertThat(ofChild2(four.initial()))
        .as("initial step of src/t/d2")
        .containsExactly(
            "zfs send src/t/d2@s1",
            "zfs recv dst/t/d2",
            "zfs list name,guid,createtxg,creation,mountpoint,referenced,sharenfs,sharesmb"
                + " dst/t/d2");
    soft.assertThat(perStep(four.initial(), two.initial())).as("initial, per step").isEqualTo(3.0);
    soft.assertThat(setsOfCursors(four.initial()))
        .as("one zfs set records every filesystem's cursor")
        .containsExactly("zfs set zrepl:cursors=p=@s1 src/t src/t/d1 src/t/d2 src/t/d3 src/t/d4");
    // before: send, recv, get (mask), list (guid check), set
    soft.assertThat(ofChild2(four.incremental()))
        .as("incremental step of src/t/d2")
        .containsExactly(
            "zfs send src/t/d2@s2",
            "zfs recv dst/t/d2",
            "zfs list name,guid,createtxg,creation,mountpoint,referenced,sharenfs,sharesmb"
                + " dst/t/d2");
    soft.assertThat(perStep(four.incremental(), two.incremental()))
        .as("incremental, per step")
        .isEqualTo(3.0);
    soft.assertThat(setsOfCursors(four.incremental()))
        .containsExactly("zfs set zrepl:cursors=p=@s2 src/t src/t/d1 src/t/d2 src/t/d3 src/t/d4");
    soft.assertAll();
  }

  @Test
  void openZfs() {
    Counted two = run(ZfsCapabilities.openZfs21(), 2);
    Counted four = run(ZfsCapabilities.openZfs21(), 4);
    SoftAssertions soft = new SoftAssertions();

    soft.assertThat(ofChild2(four.initial()))
        .as("initial step of src/t/d2")
        .containsExactly(
            "zfs hold src/t/d2@s1",
            "zfs send src/t/d2@s1",
            "zfs recv dst/t/d2",
            "zfs list name,guid,createtxg,creation,referenced dst/t/d2",
            "zfs hold dst/t/d2@s1",
            "zfs holds dst/t/d2@s1",
            "zfs bookmark src/t/d2#zrepl_CURSOR_G_eba04082bb458762_J_p",
            "zfs release src/t/d2@s1",
            "zfs list name,guid,createtxg,creation,referenced src/t/d2",
            "zfs holds src/t/d2@s1");
    soft.assertThat(perStep(four.initial(), two.initial())).as("initial, per step").isEqualTo(10.0);
    soft.assertThat(ofChild2(four.incremental()))
        .as("incremental step of src/t/d2")
        .containsExactly(
            "zfs hold src/t/d2@s1",
            "zfs hold src/t/d2@s2",
            "zfs send src/t/d2@s2",
            "zfs send src/t/d2@s2",
            "zfs hold dst/t/d2@s1",
            "zfs recv dst/t/d2",
            "zfs release dst/t/d2@s1",
            "zfs list name,guid,createtxg,creation,referenced dst/t/d2",
            "zfs hold dst/t/d2@s2",
            "zfs release dst/t/d2@s1",
            "zfs holds dst/t/d2@s2",
            "zfs bookmark src/t/d2#zrepl_CURSOR_G_97f3d4037d5168e2_J_p",
            "zfs destroy src/t/d2#zrepl_CURSOR_G_eba04082bb458762_J_p",
            "zfs release src/t/d2@s1",
            "zfs release src/t/d2@s2",
            "zfs list name,guid,createtxg,creation,referenced src/t/d2",
            "zfs holds src/t/d2@s2");
    soft.assertThat(perStep(four.incremental(), two.incremental()))
        .as("incremental, per step")
        .isEqualTo(17.0);
    soft.assertAll();
  }
}
