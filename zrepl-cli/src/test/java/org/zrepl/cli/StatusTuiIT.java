package org.zrepl.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.zrepl.cli.DaemonProcessHarness.Result;
import org.zrepl.zfs.ZfsFusePoolFixture;

/**
 * The interactive {@code zrepl status} as an operator sees it: the built jar in a tmux pane of
 * 80x24 next to a real daemon on a zfs-fuse pool, driven with {@code send-keys} and read with
 * {@code capture-pane}. tmux is installed (apt) when missing and we are root; otherwise the test is
 * skipped and says why.
 */
class StatusTuiIT {

  @RegisterExtension static final ZfsFusePoolFixture POOL = new ZfsFusePoolFixture();

  private static final Duration WAIT = Duration.ofSeconds(60);

  private Path dir;
  private Path config;
  private String src;
  private String tmuxSocket;

  @BeforeEach
  void setUp() throws Exception {
    ensureTmux();
    dir =
        Files.createTempDirectory(
            "zrepl-status-tui-it",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    config = dir.resolve("zrepl.yml");
    src = POOL.pool() + "/tui" + System.nanoTime() % 100000;
    zfs("create", src);
    zfs("create", src + "/a");
    zfs("create", src + "/b");
    Files.writeString(
        config,
        "global:\n"
            + "  logging:\n"
            + "    - type: stdout\n"
            + "      level: info\n"
            + "      format: human\n"
            + "  control:\n"
            + "    sockpath: "
            + dir.resolve("control")
            + "\n"
            + "jobs:\n"
            + "  - name: manualjob\n"
            + "    type: snap\n"
            + "    filesystems: { '"
            + src
            + "/a': true }\n"
            + "    snapshotting: { type: manual }\n"
            + "    pruning: { keep: [ { type: regex, regex: '.*' } ] }\n"
            + "  - name: snapjob\n"
            + "    type: snap\n"
            + "    filesystems: { '"
            + src
            + "<': true }\n"
            + "    snapshotting: { type: periodic, prefix: zrepl_, interval: 1h }\n"
            + "    pruning: { keep: [ { type: last_n, count: 10 } ] }\n");
    tmuxSocket = "zrepl-it-" + ProcessHandle.current().pid() + "-" + System.nanoTime() % 100000;
  }

  @AfterEach
  void tearDown() throws Exception {
    if (tmuxSocket != null) {
      DaemonProcessHarness.run(List.of("tmux", "-L", tmuxSocket, "kill-server"));
    }
  }

  @Test
  void jobsFilterSignalMenuDaemonAwayAndBackAndTheTerminalRestored() throws Exception {
    DaemonProcessHarness d = DaemonProcessHarness.start(config);
    try {
      d.await(l -> l.contains("daemon starting"), WAIT, "daemon starting");
      d.await(l -> l.contains("[snapjob][snapshot]: snapshot round"), WAIT, "first round");
      assertThat(snapshots(src + "/a")).hasSize(1);

      tmux(
          "new-session",
          "-d",
          "-x",
          "80",
          "-y",
          "24",
          "-s",
          "status",
          "env LANG=C.UTF-8 PS1='$ ' TERM=xterm-256color bash --norc --noprofile");
      startStatus();

      // the job list, the first job selected, the bar
      String screen = awaitScreen(s -> s.contains("> manualjob"), "the job list");
      assertThat(screen).contains("  snapjob").contains("job manualjob (snap): idle");
      assertThat(lastLine(screen)).startsWith("updated ");
      assertFits();

      // switching jobs
      keys("j");
      screen = awaitScreen(s -> s.contains("> snapjob") && s.contains("job snapjob (snap)"), "j");
      assertThat(screen).contains("| " + src + "/a").contains("| " + src + "/b");
      awaitScreen(
          s -> s.contains("| snapshotting: Waiting until "),
          "the snap job's snapshotter waiting for its next round");
      keys("Up");
      awaitScreen(s -> s.contains("> manualjob"), "Up");
      keys("Down");
      awaitScreen(s -> s.contains("> snapjob"), "Down");

      // the filter
      keys("/");
      keys("-l", "/b$");
      awaitScreen(s -> s.contains("filter (regex, Enter applies, Esc cancels): /b$_"), "typing");
      keys("Enter");
      screen = awaitScreen(s -> s.contains("filter //b$/"), "the filter applied");
      assertThat(screen).contains("| " + src + "/b").doesNotContain("| " + src + "/a");
      keys("Escape");
      awaitScreen(s -> s.contains("| " + src + "/a"), "the filter cleared");

      // a signal from the menu reaches the daemon: snapshot on the snap job
      keys("s");
      awaitScreen(s -> s.contains("signal job snapjob:"), "the menu");
      keys("Down");
      keys("Down");
      awaitScreen(s -> s.contains("  > snapshot"), "snapshot highlighted");
      keys("Enter");
      awaitScreen(
          s -> s.contains("signal snapshot to job snapjob: delivered"), "the daemon's answer");
      d.await(l -> l.contains("signal snapshot delivered"), WAIT, "the signal in the daemon");
      awaitSnapshots(src + "/a", 2);

      // the daemon goes away ...
      d.close();
      d.awaitExit(WAIT);
      screen = awaitScreen(s -> lastLine(s).startsWith("DAEMON UNREACHABLE since "), "down");
      assertThat(screen).contains("> snapjob"); // the last report stays on screen
      assertFits();
      // ... and comes back
      d = DaemonProcessHarness.start(config);
      d.await(l -> l.contains("daemon starting"), WAIT, "daemon restarting");
      awaitScreen(s -> lastLine(s).startsWith("daemon reachable again at "), "back");

      // q restores the terminal: no alternate screen, cooked mode with echo
      keys("q");
      awaitScreen(s -> !s.contains("| job ") && s.contains("$ "), "the shell after q");
      assertCooked();

      // Ctrl-C too
      startStatus();
      awaitScreen(s -> s.contains("> manualjob"), "the second start");
      keys("C-c");
      awaitScreen(s -> !s.contains("| job ") && s.contains("$ "), "the shell after Ctrl-C");
      assertCooked();
    } finally {
      d.close();
    }
  }

  /**
   * The replication view of a local job whose first run fails for real (the receiver holds an
   * unrelated snapshot of one filesystem: a conflict) and whose second, after the operator removed
   * it and sent wakeup from the menu, succeeds: the attempt history, the plan error apart from the
   * steps, the encrypted marker, then the snapshotting and pruning views below the fold.
   */
  @Test
  void replicationViewAttemptsAPlanErrorTheSnapshottingAndPruningViews() throws Exception {
    String n = String.valueOf(System.nanoTime() % 100000);
    String rsrc = POOL.pool() + "/r" + n;
    String rdst = POOL.pool() + "/d" + n;
    zfs("create", rsrc);
    zfs("create", rsrc + "/x");
    zfs("create", rsrc + "/y");
    zfs("create", rdst);
    zfs("create", rdst + "/y");
    zfs("snapshot", rdst + "/y@foreign");
    Path replConfig = dir.resolve("repl.yml");
    Files.writeString(
        replConfig,
        "global:\n"
            + "  logging:\n"
            + "    - type: stdout\n"
            + "      level: info\n"
            + "      format: human\n"
            + "  control:\n"
            + "    sockpath: "
            + dir.resolve("control")
            + "\n"
            + "jobs:\n"
            + "  - name: mirror\n"
            + "    type: local\n"
            + "    mapping: { '"
            + rsrc
            + "/x': '"
            + rdst
            + "/x', '"
            + rsrc
            + "/y': '"
            + rdst
            + "/y' }\n"
            + "    recv: {placeholder: {encryption: inherit}}\n"
            + "    snapshotting: { type: periodic, prefix: zrepl_, interval: 1h }\n"
            + "    pruning:\n"
            + "      keep_sender: [ { type: last_n, count: 5 } ]\n"
            + "      keep_receiver: [ { type: last_n, count: 5 } ]\n");
    DaemonProcessHarness d = DaemonProcessHarness.start(replConfig);
    try {
      d.await(l -> l.contains("daemon starting"), WAIT, "daemon starting");
      tmux(
          "new-session",
          "-d",
          "-x",
          "80",
          "-y",
          "24",
          "-s",
          "status",
          "env LANG=C.UTF-8 PS1='$ ' TERM=xterm-256color bash --norc --noprofile");
      startStatus(replConfig);

      // the first run: x replicated, y's planning failed (a conflict): attempt #1 failed
      String screen =
          awaitScreen(
              s -> s.contains("#1 filesystem-error") && s.contains("job mirror (local): idle"),
              "the first attempt failing and the invocation over");
      assertFits();
      assertThat(screen)
          .contains("> mirror")
          .contains("error: " + rsrc + "/y: conflict")
          .contains("replication attempts (newest first):")
          .contains("plan errors: 1 filesystem not replicated");
      List<String> rows = screen.lines().toList();
      int planErrors =
          rows.indexOf(
              rows.stream().filter(l -> l.contains("plan errors")).findFirst().orElseThrow());
      assertThat(rows.get(planErrors + 1))
          .as("the conflicting filesystem is listed with its plan error ...")
          .endsWith("|   " + rsrc + "/y");
      assertThat(rows.get(planErrors + 2)).contains("|     conflict: ");
      assertThat(rows)
          .as("... and not among the filesystems whose steps ran")
          .noneMatch(l -> l.endsWith("| " + rsrc + "/y") || l.endsWith("| * " + rsrc + "/y"))
          .anySatisfy(l -> assertThat(l).endsWith("| " + rsrc + "/x"));
      assertThat(rows)
          .as("x's step: done, drawn as done, marked encrypted=no (a plaintext send)")
          .anySatisfy(l -> assertThat(l).contains("done  [============]"))
          .anySatisfy(l -> assertThat(l).contains("(encrypted=no)"));

      // the operator removes the foreign dataset and sends wakeup from the menu
      zfs("destroy", "-r", rdst + "/y");
      keys("s");
      awaitScreen(s -> s.contains("signal job mirror:") && s.contains("  > wakeup"), "the menu");
      keys("Enter");
      awaitScreen(s -> s.contains("signal wakeup to job mirror: delivered"), "wakeup delivered");
      screen =
          awaitScreen(
              s ->
                  s.contains("#2 done")
                      && s.contains("job mirror (local): idle")
                      && !s.contains("plan errors"),
              "the second attempt done");
      assertFits();
      assertThat(screen.indexOf("#2 done"))
          .as("newest first: the failed attempt stays below the successful one")
          .isLessThan(screen.indexOf("#1 filesystem-error"))
          .isPositive();
      assertThat(snapshots(rdst + "/y")).isNotEmpty();
      assertThat(screen)
          .as("the snapshotter waits for the next round, an hour after the first")
          .contains("snapshotting: Waiting until ")
          .contains("  last round ");
      assertThat(screen.lines().toList())
          .as("the snapshotting view: per filesystem the snapshot the round took")
          .anySatisfy(l -> assertThat(l).contains(rsrc + "/x  @zrepl_"))
          .anySatisfy(l -> assertThat(l).contains(rsrc + "/y  @zrepl_"));

      // below the fold: both pruning views
      keys("NPage");
      screen =
          awaitScreen(
              s ->
                  s.contains("pruning sender: Done, destroyed")
                      && s.contains("pruning receiver: Done, destroyed"),
              "the pruning views after PgDn");
      assertThat(screen.lines().toList())
          .anySatisfy(l -> assertThat(l).endsWith(rsrc + "/x  0/1"))
          .anySatisfy(l -> assertThat(l).endsWith(rdst + "/y  0/1"));
      assertFits();
      keys("q");
      awaitScreen(s -> !s.contains("| job ") && s.contains("$ "), "the shell after q");
    } finally {
      d.close();
    }
  }

  private void startStatus() throws Exception {
    startStatus(config);
  }

  private void startStatus(Path configFile) throws Exception {
    keys("clear", "Enter");
    keys(
        "-l",
        "java -jar " + DaemonProcessHarness.JAR + " status --delay 500ms --config " + configFile);
    keys("Enter");
  }

  private void assertCooked() throws Exception {
    keys("clear", "Enter");
    keys(
        "-l", "stty -a | grep -qw -e -icanon -e -echo -e -isig && echo RAW-LEFT || echo COOKED-OK");
    keys("Enter");
    String s = awaitScreen(x -> x.contains("RAW-LEFT\n") || x.contains("COOKED-OK\n"), "stty");
    assertThat(s).contains("COOKED-OK\n").doesNotContain("RAW-LEFT\n");
  }

  /**
   * The pane fits 80x24 as drawn: captured again with {@code -J}, which joins a row the terminal
   * wrapped onto the next one (plain {@code capture-pane -p} cuts every row at the pane's 80
   * columns and 24 rows, so it would hide exactly what this checks). A row drawn wider than 80
   * columns shows as one longer line; one drawn below the last row scrolls the header off the top.
   */
  private void assertFits() throws Exception {
    String joined = tmux("capture-pane", "-p", "-J", "-t", "status");
    List<String> lines = joined.stripTrailing().lines().toList();
    assertThat(lines).as("rows of the pane:%n%s", joined).hasSizeLessThanOrEqualTo(24);
    assertThat(lines.get(0)).as("the first row (nothing scrolled off)").startsWith("zrepl status");
    assertThat(lines)
        .allSatisfy(
            l ->
                assertThat(l.stripTrailing().codePointCount(0, l.stripTrailing().length()))
                    .as("columns of the row %s", l)
                    .isLessThanOrEqualTo(80));
  }

  private static String lastLine(String screen) {
    List<String> lines = screen.stripTrailing().lines().toList();
    return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
  }

  private void keys(String... k) throws Exception {
    List<String> argv = new ArrayList<>(List.of("send-keys", "-t", "status"));
    argv.addAll(List.of(k));
    tmux(argv.toArray(String[]::new));
  }

  private String awaitScreen(Predicate<String> p, String what) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      last = tmux("capture-pane", "-p", "-t", "status");
      if (p.test(last)) {
        return last;
      }
      Thread.sleep(200); // polling a terminal another process draws
    }
    throw new AssertionError("the screen did not show " + what + " within " + WAIT + ":\n" + last);
  }

  private String tmux(String... args) throws Exception {
    List<String> argv = new ArrayList<>(List.of("tmux", "-L", tmuxSocket));
    argv.addAll(List.of(args));
    Result r = DaemonProcessHarness.run(argv);
    assertThat(r.code()).as("%s: %s", argv, r.out()).isZero();
    return r.out();
  }

  private static void ensureTmux() throws Exception {
    if (onPath("tmux")) {
      return;
    }
    boolean root = DaemonProcessHarness.run(List.of("id", "-u")).out().strip().equals("0");
    assumeTrue(
        root, "tmux is not installed and we are not root to install it (apt-get install tmux)");
    Result r =
        DaemonProcessHarness.run(
            List.of(
                "sh",
                "-c",
                "DEBIAN_FRONTEND=noninteractive apt-get install -y tmux"
                    + " || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y tmux)"));
    assertThat(r.code()).as("apt-get install tmux: %s", r.out()).isZero();
  }

  private static boolean onPath(String cmd) throws Exception {
    return DaemonProcessHarness.run(List.of("sh", "-c", "command -v " + cmd)).code() == 0;
  }

  private static void zfs(String... args) throws Exception {
    List<String> argv = new ArrayList<>(List.of("zfs"));
    argv.addAll(List.of(args));
    Result r = DaemonProcessHarness.run(argv);
    // zfs-fuse refuses a destroy now and then while the dataset is briefly in use (the running
    // daemon lists it): the operator would try again, so does the test (a CI run failed on it)
    for (int i = 0;
        i < 20 && r.code() != 0 && args[0].equals("destroy") && r.out().contains("dataset is busy");
        i++) {
      Thread.sleep(250);
      r = DaemonProcessHarness.run(argv);
    }
    assertThat(r.code()).as("%s: %s", argv, r.out()).isZero();
  }

  private static List<String> snapshots(String fs) throws Exception {
    Result r =
        DaemonProcessHarness.run(
            List.of("zfs", "list", "-H", "-o", "name", "-t", "snapshot", "-d", "1", fs));
    assertThat(r.code()).as(r.out()).isZero();
    return r.out().lines().toList();
  }

  private static void awaitSnapshots(String fs, int count) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    List<String> snaps = snapshots(fs);
    while (snaps.size() < count && System.nanoTime() < deadline) {
      Thread.sleep(200);
      snaps = snapshots(fs);
    }
    assertThat(snaps).as("snapshots of %s", fs).hasSize(count);
  }
}
