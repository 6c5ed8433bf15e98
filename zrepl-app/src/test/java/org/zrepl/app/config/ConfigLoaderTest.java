package org.zrepl.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zrepl.app.config.Options.Protection;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.prune.KeepRule;
import org.zrepl.domain.replication.InitialReplication;

class ConfigLoaderTest {

  @TempDir Path dir;

  static Config valid(String yaml) {
    return ConfigRendererTest.valid(ConfigLoader.parse("zrepl.yml", yaml, Path.of(".")));
  }

  static List<String> errors(String yaml) {
    LoadResult r = ConfigLoader.parse("zrepl.yml", yaml, Path.of("."));
    assertThat(r).isInstanceOf(LoadResult.Invalid.class);
    return ((LoadResult.Invalid) r)
        .diagnostics().stream().map(d -> d.line() + ":" + d.column() + ": " + d.message()).toList();
  }

  @Test
  void aFileThisUserMayNotReadSaysPermissionDeniedAndWhatToDo() {
    assertThat(ConfigLoader.reason(new java.nio.file.AccessDeniedException("/etc/zrepl/zrepl.yml")))
        .isEqualTo("permission denied (run zrepl as root, or as the user the daemon runs as)");
  }

  @Test
  void emptyFileMeansDefaultsAndNoJobs() {
    Config c = valid("");

    assertThat(c.jobs()).isEmpty();
    assertThat(c.global()).isEqualTo(Global.defaults());
    assertThat(c.global().logging())
        .containsExactly(
            new LoggingOutlet.Stdout(
                LoggingOutlet.Level.WARN, LoggingOutlet.Format.HUMAN, true, true));
    assertThat(c.global().controlSockpath()).isEqualTo(Path.of("/var/run/zrepl/control"));
    assertThat(c.global().stdinserverSockdir()).isEqualTo(Path.of("/var/run/zrepl/stdinserver"));
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {"---\n", "---\n...\n", "# only\n# comments\n", "---\n# c\n", "~\n", "null"})
  void explicitEmptyDocumentMeansDefaultsAndNoJobs(String yaml) {
    Config c = valid(yaml);

    assertThat(c.jobs()).isEmpty();
    assertThat(c.global()).isEqualTo(Global.defaults());
  }

  @Test
  void aDocumentThatIsAScalarOtherThanNullIsStillRefused() {
    assertThat(errors("---\njobs\n")).hasSize(1);
  }

  @Test
  void pushJobWithZreplsDefaults() {
    Config c =
        valid(
            """
            jobs:
            - name: p
              type: push
              connect: { type: tcp, address: "b:1", dial_timeout: }
              filesystems: { "tank<": ok, "tank/tmp": "!" }
              snapshotting: { type: periodic, prefix: zrepl_, interval: 10m }
              pruning:
                keep_sender: [ { type: not_replicated } ]
                keep_receiver: [ { type: grid, grid: "1x1h(keep=all) | 24x1h", regex: "^zrepl_" } ]
            """);

    Job.Push p = (Job.Push) c.job("p").orElseThrow();
    assertThat(p.connect()).isEqualTo(new Connect.Tcp("b:1", Duration.ofSeconds(10)));
    assertThat(p.filesystems().filter().matches(DatasetPath.of("tank/a"))).isTrue();
    assertThat(p.filesystems().filter().matches(DatasetPath.of("tank/tmp"))).isFalse();
    assertThat(p.snapshotting())
        .isEqualTo(
            new Snapshotting.Periodic(
                "zrepl_", Duration.ofMinutes(10), Snapshotting.TimestampFormat.DEFAULT, List.of()));
    assertThat(p.pruning().keepSender()).containsExactly(new KeepRule.KeepNotReplicated(true));
    assertThat(p.pruning().keepReceiver().get(0)).isInstanceOf(KeepRule.KeepGrid.class);
    assertThat(p.send()).isEqualTo(Options.Send.DEFAULT);
    assertThat(p.send().bandwidthLimit().isUnlimited()).isTrue();
    assertThat(p.replication().initial()).isEqualTo(Protection.GUARANTEE_RESUMABILITY);
    assertThat(p.replication().steps()).isEqualTo(1);
    assertThat(p.replication().sizeEstimates()).isEqualTo(4);
    assertThat(p.conflictResolution().initialReplication())
        .isEqualTo(InitialReplication.MOST_RECENT);
  }

  @Test
  void goDurationsForTimeoutsAndYaml11Booleans() {
    Config c =
        valid(
            """
            jobs:
            - name: l
              type: sink
              root_fs: pool/sink
              serve: { type: local, listener_name: x }
            - name: p
              type: push
              connect: { type: local, listener_name: x, client_identity: me }
              filesystems: { "<": true }
              send: { compressed: yes, raw: off }
              snapshotting:
                type: periodic
                prefix: z
                interval: 1h
                hooks: [ { type: command, path: /bin/true, timeout: 1.5s } ]
              pruning: { keep_sender: [], keep_receiver: [] }
            """);

    Job.Push p = (Job.Push) c.job("p").orElseThrow();
    assertThat(p.connect().dialTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(p.send().compressed()).isTrue();
    assertThat(p.send().raw()).isFalse();
    Hook hook = ((Snapshotting.Periodic) p.snapshotting()).hooks().get(0);
    assertThat(hook.timeout()).isEqualTo(Duration.ofMillis(1500));
    assertThat(hook.filesystems().patterns()).isEqualTo(Map.of("<", "true"));
  }

  @Test
  void pullAcceptsMappingInsteadOfRootFs() {
    Config c =
        valid(
            """
            jobs:
            - name: p
              type: pull
              connect: { type: tcp, address: "b:1" }
              mapping: { "prod<": "backup/prod" }
              interval: manual
              pruning: { keep_sender: [], keep_receiver: [] }
            """);

    Job.Pull p = (Job.Pull) c.job("p").orElseThrow();
    assertThat(p.interval().isManual()).isTrue();
    Target.Mapped t = (Target.Mapped) p.target();
    assertThat(t.mapping().mapping().map(DatasetPath.of("prod/db")))
        .contains(DatasetPath.of("backup/prod/db"));
  }

  @Test
  void overlappingMappingTargetsOfDifferentJobsAreReported() {
    assertThat(
            errors(
                """
                jobs:
                - name: a
                  type: local
                  mapping: { "tank<": "backup/tank" }
                  snapshotting: { type: manual }
                  pruning: { keep_sender: [], keep_receiver: [] }
                - name: b
                  type: sink
                  root_fs: backup
                  serve: { type: local, listener_name: x }
                """))
        .containsExactly(
            "9:12: 'backup' of job 'b' overlaps with 'backup/tank' of job 'a'; receiving jobs"
                + " need disjoint subtrees");
  }

  @Test
  void aJobNamedLikeAPullerOfASourceIsRefused() {
    assertThat(
            errors(
                """
                jobs:
                - name: src
                  type: source
                  serve: { type: local, listener_name: x }
                  filesystems: { "tank<": true }
                  snapshotting: { type: manual }
                - name: src_C_alice
                  type: snap
                  filesystems: { "tank<": true }
                  snapshotting: { type: manual }
                  pruning: { keep: [] }
                """))
        .containsExactly(
            "7:9: job name 'src_C_alice' is the job id that source job 'src' gives its puller"
                + " 'alice' (its cursor bookmark and holds carry that id); rename this job");
  }

  @Test
  void aBandwidthLimitBelowOneByteIsRefused() {
    assertThat(
            errors(
                """
                jobs:
                - name: b
                  type: sink
                  root_fs: backup
                  serve: { type: local, listener_name: x }
                  recv: { bandwidth_limit: { max: 0 B } }
                - name: c
                  type: sink
                  root_fs: other
                  serve: { type: local, listener_name: y }
                  recv: { bandwidth_limit: { max: 1 MiB, bucket_capacity: 4 bit } }
                """))
        .containsExactly(
            "6:35: 'max: 0 B' is refused: a rate below one byte per second would stall replication;"
                + " give a positive rate such as '10 MiB', or a negative one such as '-1 B' for no"
                + " limit",
            "11:59: 'bucket_capacity' must be at least 1 byte, got '4 bit'");
  }

  @Test
  void protectionModesThePeerCannotFollowAreRefusedWhereTheyAreWritten() {
    assertThat(
            errors(
                """
                jobs:
                - name: p
                  type: push
                  connect: { type: local, listener_name: x, client_identity: me }
                  filesystems: { "tank<": true }
                  snapshotting: { type: manual }
                  pruning: { keep_sender: [], keep_receiver: [] }
                  replication: { protection: { initial: guarantee_nothing, incremental: guarantee_incremental } }
                - name: s
                  type: sink
                  root_fs: backup
                  serve: { type: local, listener_name: x }
                - name: q
                  type: pull
                  connect: { type: tcp, address: "h:1" }
                  root_fs: pulled
                  interval: 1h
                  pruning: { keep_sender: [], keep_receiver: [] }
                  replication: { protection: { incremental: guarantee_incremental } }
                """))
        .hasSize(2)
        .satisfiesExactly(
            e ->
                assertThat(e)
                    .startsWith("8:41: replication.protection.initial guarantee_nothing is not")
                    .contains("push job", "last-received hold", "use guarantee_incremental"),
            e ->
                assertThat(e)
                    .startsWith("19:45: replication.protection.incremental guarantee_incremental")
                    .contains("pull job", "leave it at guarantee_resumability"));
  }

  @Test
  void everyProblemIsReportedInOneRunSortedByPosition() {
    assertThat(
            errors(
                """
                global:
                  control: { sockpath: 3, extra: 1 }
                jobs:
                - name: a
                  type: snap
                  filesystems: { "tank<": true }
                  snapshotting: { type: periodic, prefix: z, interval: 0m }
                  pruning: { keep: [ { type: last_n, count: 1, regex: "(" } ] }
                - type: nope
                """))
        .containsExactly(
            "2:27: unknown key 'extra' in global.control",
            "7:56: 'interval' must be positive, got '0m'",
            "8:55: invalid 'regex' '(': Unclosed group",
            "9:3: missing required key 'name' in job",
            "9:9: unknown job type 'nope', expected one of snap, push, sink, pull, source, local");
  }

  @Test
  void includesAddJobsFromFilesAndDirectoriesInNameOrder() throws IOException {
    Files.createDirectories(dir.resolve("jobs.d"));
    String snap =
        """
        jobs:
        - name: %s
          type: snap
          filesystems: { "%s<": true }
          snapshotting: { type: manual }
          pruning: { keep: [] }
        """;
    Files.writeString(dir.resolve("jobs.d/b.yml"), snap.formatted("b", "pb"));
    Files.writeString(dir.resolve("jobs.d/a.yml"), snap.formatted("a", "pa"));
    Files.writeString(dir.resolve("jobs.d/ignored.yaml"), "not: [valid");
    Files.writeString(dir.resolve("one.yml"), snap.formatted("c", "pc"));
    Path main = dir.resolve("zrepl.yml");
    Files.writeString(main, snap.formatted("m", "pm") + "include: [ jobs.d, ./one.yml ]\n");

    LoadResult r = ConfigLoader.load(main);

    Config c = ConfigRendererTest.valid(r);
    assertThat(c.jobs()).extracting(Job::name).containsExactly("m", "a", "b", "c");
  }

  @Test
  void problemsInIncludedFilesNameThatFile() throws IOException {
    Files.writeString(dir.resolve("inc.yml"), "jobs:\n- name: x\n  type: snapp\n");
    Path main = dir.resolve("zrepl.yml");
    Files.writeString(main, "include: [inc.yml, other.txt]\n");
    Files.writeString(dir.resolve("other.txt"), "");

    LoadResult.Invalid r = (LoadResult.Invalid) ConfigLoader.load(main);

    assertThat(r.diagnostics())
        .extracting(d -> d.file() + ":" + d.line() + ":" + d.column())
        .containsExactly(main + ":1:20", dir.resolve("inc.yml") + ":3:9");
    assertThat(r.diagnostics().get(0).message())
        .isEqualTo("included files must end with '.yml', got 'other.txt'");
  }

  @Test
  void yamlAnchorsAndMergeKeysShareSettingsBetweenJobs() {
    Config c =
        valid(
            """
            jobs:
            - &base
              name: a
              type: snap
              filesystems: { "a<": true }
              snapshotting: &snap { type: periodic, prefix: z, interval: 1h }
              pruning: { keep: [ { type: last_n, count: 3 } ] }
            - <<: *base
              name: b
              filesystems: { "b<": true }
              snapshotting: *snap
            """);

    Job.Snap a = (Job.Snap) c.job("a").orElseThrow();
    Job.Snap b = (Job.Snap) c.job("b").orElseThrow();
    assertThat(b.keep()).isEqualTo(a.keep());
    assertThat(b.snapshotting()).isEqualTo(a.snapshotting());
    assertThat(b.filesystems().patterns()).containsOnlyKeys("b<");
  }

  @Test
  void aNameInheritedThroughAMergeKeyStillCountsForUniqueness() {
    assertThat(
            errors(
                """
                jobs:
                - &base
                  name: a
                  type: snap
                  filesystems: { "a<": true }
                  snapshotting: { type: manual }
                  pruning: { keep: [] }
                - <<: *base
                  filesystems: { "b<": true }
                """))
        .containsExactly("8:3: duplicate job name 'a' (first defined at zrepl.yml:3)");
  }

  @Test
  void filterValuesAreYaml11BooleansOrZreplsWords() {
    Config c =
        valid(
            """
            jobs:
            - name: s
              type: snap
              filesystems: { "a<": yes, "a/b": off, "c<": ok, "c/d": "!", "e": TRUE }
              snapshotting: { type: manual }
              pruning: { keep: [] }
            """);

    Filesystems fs = ((Job.Snap) c.job("s").orElseThrow()).filesystems();
    assertThat(fs.filter().matches(DatasetPath.of("a/x"))).isTrue();
    assertThat(fs.filter().matches(DatasetPath.of("a/b"))).isFalse();
    assertThat(fs.filter().matches(DatasetPath.of("c/x"))).isTrue();
    assertThat(fs.filter().matches(DatasetPath.of("c/d"))).isFalse();
    assertThat(fs.filter().matches(DatasetPath.of("e"))).isTrue();
  }

  @Test
  void unreadableMainFile() {
    assertThat(ConfigLoader.load(dir)).isInstanceOf(LoadResult.Unreadable.class);
    assertThat(ConfigLoader.load(dir.resolve("missing.yml")))
        .isEqualTo(
            new LoadResult.Unreadable(
                "cannot read config file " + dir.resolve("missing.yml") + ": no such file"));
  }
}
