package org.zrepl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.zfs.ZfsCapabilities;
import org.zrepl.zfs.fake.InMemoryZfs;

/** {@code zrepl zfs-abstraction list | release-stale | release-all} against the ZFS fake. */
class ZfsAbstractionCommandTest {

  private static final DatasetPath A = DatasetPath.of("tank/a");

  @TempDir Path dir;
  InMemoryZfs zfs;
  Path config;
  String oldCursor;
  String cursor;
  String removedJobsCursor;

  @BeforeEach
  void setUp() throws IOException {
    zfs =
        new InMemoryZfs(
            ZfsCapabilities.openZfs21(),
            Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC),
            1);
    zfs.createPool("tank");
    zfs.createFilesystem(A, Map.of(), false);
    for (String s : List.of("s1", "s2", "s3")) {
      zfs.snapshot(List.of(A), s);
    }
    zfs.hold(A, "s1", "zrepl_STEP_J_push"); // a killed step's: before the cursor
    zfs.hold(A, "s3", "zrepl_STEP_J_push"); // a running step's: after the cursor
    zfs.hold(A, "s1", "backup-tool"); // not ours
    oldCursor = bookmark("s1", "push");
    cursor = bookmark("s2", "push");
    removedJobsCursor = bookmark("s2", "oldjob");
    zfs.bookmark(A, "s1", "manual");
    config = dir.resolve("zrepl.yml");
    Files.writeString(
        config,
        """
        jobs:
        - name: push
          type: push
          connect: { type: tcp, address: "backup:8888" }
          filesystems: { "tank<": true }
          snapshotting: { type: manual }
          pruning: { keep_sender: [], keep_receiver: [] }
        """);
  }

  private String bookmark(String snapshot, String job) {
    long guid =
        zfs.listVersions(A).stream()
            .filter(v -> v.name().equals(snapshot))
            .findFirst()
            .orElseThrow()
            .guid();
    String name = String.format(Locale.ROOT, "zrepl_CURSOR_G_%016x_J_%s", guid, job);
    zfs.bookmark(A, snapshot, name);
    return name;
  }

  Cli run(String... args) {
    return Cli.run(List.of(config), () -> zfs, args);
  }

  private List<String> bookmarks() {
    return zfs.listVersions(A).stream()
        .filter(FilesystemVersion::isBookmark)
        .map(FilesystemVersion::name)
        .sorted()
        .toList();
  }

  @Test
  void listPrintsOneLinePerAbstractionAsZreplDoes() {
    Cli r = run("zfs-abstraction", "list");

    assertThat(r.err()).isEmpty();
    assertThat(r.code()).isZero();
    assertThat(r.out().lines())
        .containsExactlyInAnyOrder(
            "replication-cursor-bookmark-v2 tank/a#" + removedJobsCursor,
            "replication-cursor-bookmark-v2 tank/a#" + cursor,
            "replication-cursor-bookmark-v2 tank/a#" + oldCursor,
            "step-hold \"zrepl_STEP_J_push\" on tank/a@s1",
            "step-hold \"zrepl_STEP_J_push\" on tank/a@s3");
  }

  @Test
  void listFiltersAndPrintsJson() throws IOException {
    Cli r = run("zfs-abstraction", "list", "--json", "--job", "push", "--type", "step-hold");

    assertThat(r.code()).isZero();
    JsonNode first =
        new ObjectMapper().readerFor(JsonNode.class).readValues(r.out()).next()
                instanceof JsonNode n
            ? n
            : null;
    assertThat(first).isNotNull();
    assertThat(first.get("Type").asText()).isEqualTo("step-hold");
    assertThat(first.get("JobID").asText()).isEqualTo("push");
    assertThat(first.get("FullPath").asText()).isEqualTo("tank/a@s1");
    assertThat(first.get("Tag").asText()).isEqualTo("zrepl_STEP_J_push");
    assertThat(r.out()).doesNotContain("replication-cursor");
  }

  @Test
  void fsNamesOneFilesystemOrAFilterAndLeavesTheOthersOut() {
    DatasetPath child = A.child("c");
    zfs.createFilesystem(child, Map.of(), false);
    zfs.snapshot(List.of(child), "c1");
    zfs.hold(child, "c1", "zrepl_STEP_J_push");
    String childHold = "step-hold \"zrepl_STEP_J_push\" on tank/a/c@c1";

    Cli exactly = run("zfs-abstraction", "list", "--fs", "tank/a");
    Cli filter = run("zfs-abstraction", "list", "--fs", "tank/a/c:ok");
    Cli both = run("zfs-abstraction", "list", "--fs", "tank/a<:ok", "--type", "step-hold");

    assertThat(exactly.code()).as(exactly.err()).isZero();
    assertThat(exactly.out().lines())
        .as("tank/a exactly, not its child")
        .hasSize(5)
        .allSatisfy(l -> assertThat(l).containsAnyOf(" tank/a@", " tank/a#"))
        .doesNotContain(childHold);
    assertThat(filter.code()).as(filter.err()).isZero();
    assertThat(filter.out().lines()).containsExactly(childHold);
    assertThat(both.code()).as(both.err()).isZero();
    assertThat(both.out().lines())
        .containsExactlyInAnyOrder(
            "step-hold \"zrepl_STEP_J_push\" on tank/a@s1",
            "step-hold \"zrepl_STEP_J_push\" on tank/a@s3",
            childHold);
  }

  @Test
  void badFiltersAreUsageErrors() {
    Cli t = run("zfs-abstraction", "list", "--type", "step-hold,nope");
    assertThat(t.code()).isEqualTo(2);
    assertThat(t.err()).contains("invalid --type #2 'nope'", "step-hold");

    Cli p = run("zfs-abstraction", "list", "-p", "4");
    assertThat(p.code()).isEqualTo(2);
    assertThat(p.err()).contains("--concurrency 4 is not supported");

    Cli f = run("zfs-abstraction", "list", "--fs", "tank<:maybe");
    assertThat(f.code()).isEqualTo(2);
    assertThat(f.err()).contains("invalid --fs");
  }

  @Test
  void aMissingFilesystemIsReportedWithExitStatusOne() {
    Cli r = run("zfs-abstraction", "list", "--fs", "tank/nope");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("tank/nope", "does not exist", "there were errors");
  }

  @Test
  void releaseStaleDryRunChangesNothingAndSaysWhy() {
    Cli r = run("zfs-abstraction", "release-stale", "--dry-run");

    assertThat(r.code()).isZero();
    assertThat(r.out().lines())
        .containsExactlyInAnyOrder(
            "would destroy replication-cursor-bookmark-v2 tank/a#"
                + oldCursor
                + " (not the job's newest replication cursor (that is on #"
                + cursor
                + "))",
            "would destroy replication-cursor-bookmark-v2 tank/a#"
                + removedJobsCursor
                + " (job 'oldjob' is not a job of this configuration)",
            "would destroy step-hold \"zrepl_STEP_J_push\" on tank/a@s1 (at or before the job's"
                + " replication cursor #"
                + cursor
                + " (createtxg "
                + zfs.listVersions(A).get(0).createTxg()
                + " <= "
                + zfs.listVersions(A).stream()
                    .filter(v -> v.name().equals("s2"))
                    .findFirst()
                    .orElseThrow()
                    .createTxg()
                + "))");
    assertThat(bookmarks()).hasSize(4);
    assertThat(zfs.holds(A, "s1")).contains("zrepl_STEP_J_push");
  }

  @Test
  void releaseStaleActsByDefaultAndLeavesLiveAndForeignOnes() {
    Cli r = run("zfs-abstraction", "release-stale");

    assertThat(r.err()).isEmpty();
    assertThat(r.code()).isZero();
    assertThat(r.out().lines())
        .hasSize(3)
        .allMatch(l -> l.startsWith("destroy ") && l.endsWith(" ... OK"));
    assertThat(bookmarks()).containsExactlyInAnyOrder(cursor, "manual");
    assertThat(zfs.holds(A, "s1")).containsExactly("backup-tool");
    assertThat(zfs.holds(A, "s3")).containsExactly("zrepl_STEP_J_push");
  }

  @Test
  void releaseStaleWithoutAConfigurationReleasesNothing() {
    Cli r =
        Cli.run(List.of(dir.resolve("missing.yml")), () -> zfs, "zfs-abstraction", "release-stale");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .contains(
            "no configuration file",
            "release-stale needs the configuration",
            "nothing was released");
    assertThat(bookmarks()).hasSize(4);
  }

  @Test
  void releaseAllRemovesEveryOneOfOursOnly() {
    Cli dry = run("zfs-abstraction", "release-all", "--dry-run", "--json");
    assertThat(dry.code()).isZero();
    assertThat(dry.out()).contains("\"Type\" : \"step-hold\"");
    assertThat(bookmarks()).hasSize(4);

    Cli r = run("zfs-abstraction", "release-all");

    assertThat(r.code()).isZero();
    assertThat(r.out().lines()).hasSize(5);
    assertThat(bookmarks()).containsExactly("manual");
    assertThat(zfs.holds(A, "s1")).containsExactly("backup-tool");
    assertThat(zfs.holds(A, "s3")).isEmpty();
  }

  @Test
  void helpSaysWhatEachCommandDoes() {
    Cli r = run("zfs-abstraction", "--help");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("list", "release-stale", "release-all", "dataset is busy");

    Cli s = run("zfs-abstraction", "release-stale", "--help");
    assertThat(s.out())
        .contains("--dry-run", "--fs", "--job", "--type", "step-hold", "configuration");
  }

  @Test
  void createStepHoldsASnapshotOnceAndRefusesABookmark() {
    Cli r = run("zfs-abstraction", "create", "step", "-t", "tank/a@s2", "-j", "manual_job");
    assertThat(r.err()).isEmpty();
    assertThat(r.code()).isZero();
    assertThat(r.out()).isEqualTo("step-hold \"zrepl_STEP_J_manual_job\" on tank/a@s2\n");
    assertThat(
            run("zfs-abstraction", "create", "step", "-t", "tank/a@s2", "-j", "manual_job").code())
        .isZero();
    assertThat(zfs.holds(A, "s2")).containsExactly("zrepl_STEP_J_manual_job");

    Cli b = run("zfs-abstraction", "create", "step", "-t", "tank/a#manual", "-j", "x");
    assertThat(b.code()).isEqualTo(2);
    assertThat(b.err()).contains("a bookmark cannot be held");

    Cli missing = run("zfs-abstraction", "create", "step", "-t", "tank/a@nope", "-j", "x");
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err()).contains("tank/a@nope", "does not exist");
  }
}
