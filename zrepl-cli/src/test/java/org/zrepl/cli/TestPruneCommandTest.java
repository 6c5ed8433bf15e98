package org.zrepl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.zfs.DatasetInfo;
import org.zrepl.port.zfs.ZfsCapabilities;
import org.zrepl.zfs.fake.InMemoryZfs;

/** {@code zrepl test prune} against the ZFS fake. */
class TestPruneCommandTest {

  @TempDir Path dir;
  InMemoryZfs zfs;
  Path config;

  @BeforeEach
  void setUp() throws IOException {
    zfs =
        new InMemoryZfs(
            ZfsCapabilities.openZfs21(),
            Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC),
            1);
    zfs.createPool("tank");
    DatasetPath a = DatasetPath.of("tank/a");
    zfs.createFilesystem(a, Map.of(), false);
    for (String s : List.of("zrepl_1", "zrepl_2", "zrepl_3", "manual")) {
      zfs.snapshot(List.of(a), s);
    }
    config = dir.resolve("zrepl.yml");
    Files.writeString(
        config,
        """
        jobs:
        - name: snapjob
          type: snap
          filesystems: { "tank/a": true }
          snapshotting: { type: manual }
          pruning:
            keep:
            - type: last_n
              count: 1
              regex: "^zrepl_"
            - type: regex
              regex: "^manual$"
        - name: sink
          type: sink
          root_fs: backup/sink
          serve: { type: local, listener_name: sink }
        """);
  }

  Cli run(String... args) {
    return Cli.run(List.of(config), () -> zfs, args);
  }

  private Map<DatasetPath, List<FilesystemVersion>> everything() {
    return zfs.listVersions(
        zfs.listDatasets(List.of(), Set.of()).stream().map(DatasetInfo::path).toList());
  }

  @Test
  void listsKeepAndDestroyWithTheRuleAndChangesNothing() {
    Map<DatasetPath, List<FilesystemVersion>> before = everything();

    Cli r = run("test", "prune", "--job", "snapjob");

    assertThat(r.err()).isEmpty();
    assertThat(r.code()).isZero();
    assertThat(r.out())
        .isEqualTo(
            """
            job snapjob, local side: 1 filesystems (dry run, nothing is destroyed)
            tank/a: keep 2, destroy 2
              DESTROY tank/a@zrepl_1  not kept by any rule
              DESTROY tank/a@zrepl_2  not kept by any rule
              KEEP    tank/a@zrepl_3  kept by last_n count=1 regex=^zrepl_
              KEEP    tank/a@manual  kept by regex ^manual$
            """);
    assertThat(everything()).isEqualTo(before);
    assertThat(zfs.processesStarted("destroy")).isZero();
  }

  @Test
  void anExplicitSideTheJobLacksIsAUsageError() {
    Cli r = run("test", "prune", "--job", "snapjob", "--side", "sender");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .contains(
            "job 'snapjob' (snap) has no sender side to prune on this machine; try --side local");
  }

  @Test
  void anUnknownSideIsAUsageError() {
    Cli r = run("test", "prune", "--job", "snapjob", "--side", "left");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("invalid --side 'left': expected sender, receiver or local");
  }

  @Test
  void aSinkDoesNotPrune() {
    Cli r = run("test", "prune", "--job", "sink");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .contains(
            "job 'sink' (sink) does not prune; the push job prunes the sink by its"
                + " keep_receiver (zrepl test prune --job PUSH_JOB --side receiver, on the pushing"
                + " machine)");
  }
}
