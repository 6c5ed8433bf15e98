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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.port.zfs.ZfsCapabilities;
import org.zrepl.zfs.fake.InMemoryZfs;

/** {@code zrepl test filesystems} and {@code zrepl test placeholder} against the ZFS fake. */
class TestCommandsTest {

  @TempDir Path dir;
  InMemoryZfs zfs;
  Path config;

  @BeforeEach
  void setUp() throws IOException {
    zfs =
        new InMemoryZfs(
            ZfsCapabilities.openZfs23(),
            Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC),
            1);
    zfs.createPool("tank");
    for (String fs : List.of("tank/a", "tank/a/b", "tank/tmp", "tank/tmp/x")) {
      zfs.createFilesystem(DatasetPath.of(fs), Map.of(), false);
    }
    config = dir.resolve("zrepl.yml");
    Files.writeString(
        config,
        """
        jobs:
        - name: snapjob
          type: snap
          filesystems: { "tank<": true, "tank/tmp<": false }
          snapshotting: { type: manual }
          pruning: { keep: [] }
        - name: mirror
          type: local
          mapping: { "tank/a<": "backup/a", "tank/a/b": "!" }
          snapshotting: { type: manual }
          pruning: { keep_sender: [], keep_receiver: [] }
        - name: sink
          type: sink
          root_fs: backup/sink
          serve: { type: local, listener_name: sink }
        - name: pull
          type: pull
          connect: { type: tcp, address: "prod:8888" }
          mapping: { "prod<": "backup/prod" }
          interval: manual
          pruning: { keep_sender: [], keep_receiver: [] }
        """);
  }

  Cli run(String... args) {
    return Cli.run(List.of(config), () -> zfs, args);
  }

  @Test
  void filterDecisionsForEveryDataset() {
    Cli r = run("test", "filesystems", "--job", "snapjob", "--all");

    assertThat(r.err()).isEmpty();
    assertThat(r.code()).isZero();
    assertThat(r.out())
        .isEqualTo(
            """
            tank: selected by 'tank<'
            tank/a: selected by 'tank<'
            tank/a/b: selected by 'tank<'
            tank/tmp: not selected (excluded by 'tank/tmp<')
            tank/tmp/x: not selected (excluded by 'tank/tmp<')
            """);
  }

  @Test
  void mappingDecisionsOfALocalJobShowTargets() {
    Cli r = run("--config", config.toString(), "test", "filesystems", "--job", "mirror", "--all");

    assertThat(r.code()).isZero();
    assertThat(r.out())
        .isEqualTo(
            """
            tank: not selected (no pattern matches)
            tank/a: selected by 'tank/a<' -> backup/a
            tank/a/b: not selected (excluded by 'tank/a/b')
            tank/tmp: not selected (no pattern matches)
            tank/tmp/x: not selected (no pattern matches)
            """);
  }

  @Test
  void inputNeedNotExist() {
    Cli r = run("test", "filesystems", "--job", "pull", "--input", "prod/db/x");

    assertThat(r.code()).isZero();
    assertThat(r.out()).isEqualTo("prod/db/x: selected by 'prod<' -> backup/prod/db/x\n");
  }

  @Test
  void usageErrors() {
    Cli noJob = run("test", "filesystems", "--job", "nope", "--all");
    assertThat(noJob.code()).isEqualTo(2);
    assertThat(noJob.err()).contains("no job named 'nope'").contains("snapjob, mirror, sink, pull");

    Cli both = run("test", "filesystems", "--job", "snapjob", "--all", "--input", "tank");
    assertThat(both.code()).isEqualTo(2);

    Cli neither = run("test", "filesystems", "--job", "snapjob");
    assertThat(neither.code()).isEqualTo(2);

    Cli rootFs = run("test", "filesystems", "--job", "sink", "--input", "tank");
    assertThat(rootFs.code()).isEqualTo(2);
    assertThat(rootFs.err()).contains("has neither 'filesystems' nor 'mapping'");

    Cli remoteAll = run("test", "filesystems", "--job", "pull", "--all");
    assertThat(remoteAll.code()).isEqualTo(2);
    assertThat(remoteAll.err()).contains("use --input DATASET");

    Cli badInput = run("test", "filesystems", "--job", "snapjob", "--input", "tank//a");
    assertThat(badInput.code()).isEqualTo(2);
    assertThat(badInput.err()).contains("invalid --input").contains("empty component");
  }

  @Test
  void placeholderOnlyWhenSetLocallyToOn() {
    zfs.setProperty(DatasetPath.of("tank/a"), "zrepl:placeholder", "on");
    zfs.setProperty(DatasetPath.of("tank/tmp"), "zrepl:placeholder", "off");

    Cli r = run("test", "placeholder", "--all");

    assertThat(r.err()).isEmpty();
    assertThat(r.code()).isZero();
    assertThat(r.out())
        .isEqualTo(
            """
            IS_PLACEHOLDER  DATASET  zrepl:placeholder
            no  tank  -
            yes  tank/a  on (local)
            no  tank/a/b  on (inherited)
            no  tank/tmp  off (local)
            no  tank/tmp/x  off (inherited)
            """);
  }

  @Test
  void placeholderOfOneDataset() {
    zfs.setProperty(DatasetPath.of("tank/a"), "zrepl:placeholder", "on");

    assertThat(run("test", "placeholder", "--dataset", "tank/a").out())
        .endsWith("yes  tank/a  on (local)\n");
    Cli missing = run("test", "placeholder", "--dataset", "tank/nope");
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err()).isEqualTo("zrepl: error: dataset 'tank/nope' does not exist\n");
  }

  @Test
  void withoutAZfsAdapterTestCommandsFailCleanly() {
    Cli r =
        Cli.run(
            List.of(config),
            () -> {
              throw new CliException("this build has no ZFS adapter wired; 'zrepl test' needs one");
            },
            "test",
            "placeholder",
            "--all");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith("zrepl: error: this build has no ZFS adapter wired");
  }
}
