package org.zrepl.app.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.zrepl.app.replication.FakeWorld.filter;
import static org.zrepl.app.replication.FakeWorld.p;
import static org.zrepl.app.replication.FakeWorld.target;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.zrepl.domain.dataset.DatasetFilter;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.replication.Conflict;
import org.zrepl.domain.replication.PlanningPolicy;
import org.zrepl.port.endpoint.Guarantee;
import org.zrepl.port.zfs.Property;
import org.zrepl.port.zfs.ZfsCapabilities;

class ReplicationEngineTest {

  static Stream<ZfsCapabilities> presets() {
    return Stream.of(ZfsCapabilities.zfsFuse(), ZfsCapabilities.openZfs21());
  }

  @ParameterizedTest
  @MethodSource("presets")
  void threeLevelTreeWithAGapReplicatesWithPlaceholders(ZfsCapabilities caps) {
    FakeWorld w = new FakeWorld(caps);
    DatasetPath a = w.fs("src/a");
    w.fs("src/a/b");
    DatasetPath c = w.fs("src/a/b/c");
    w.snapshot("s1", a, p("src/a/b"), c);

    ReplicationReport report = w.run(filter("src/a", "src/a/b/c"));

    assertThat(report.isSuccess()).as(report.describe()).isTrue();
    assertThat(report.results()).extracting(FilesystemResult::filesystem).containsExactly(a, c);
    assertThat(w.snapshotNames(target(a))).containsExactly("s1");
    assertThat(w.snapshotNames(target(c))).containsExactly("s1");
    assertThat(w.read(target(c))).isEqualTo("src/a/b/c");
    for (String placeholder : List.of("dst/src", "dst/src/a/b")) {
      var props = w.zfs.getProperties(placeholder, Set.of("zrepl:placeholder", "canmount"));
      assertThat(props.get("zrepl:placeholder")).isEqualTo(Property.local("on"));
      assertThat(props.get("canmount")).isEqualTo(Property.local("off"));
      assertThat(w.snapshotNames(p(placeholder))).isEmpty();
    }
    w.assertOnlyLastReceivedHolds(target(a), target(c));
  }

  @ParameterizedTest
  @MethodSource("presets")
  void newSnapshotsReplicateIncrementallyInOneBatchedSend(ZfsCapabilities caps) {
    FakeWorld w = new FakeWorld(caps);
    DatasetPath a = w.fs("src/a");
    w.snapshot("s1", a);
    assertThat(w.run(filter("src/a")).isSuccess()).isTrue();
    w.write(a, "two");
    w.snapshot("s2", a);
    w.write(a, "three");
    w.snapshot("s3", a);
    int sendsBefore = w.zfs.processesStarted("send");

    ReplicationReport report = w.run(filter("src/a"));

    assertThat(report.isSuccess()).as(report.describe()).isTrue();
    assertThat(report.results().get(0).describe()).contains("incremental: @s1 -> @s2, @s2 -> @s3");
    assertThat(w.zfs.processesStarted("send") - sendsBefore).as("one zfs send -I").isEqualTo(1);
    assertThat(w.snapshotNames(target(a))).containsExactly("s1", "s2", "s3");
    assertThat(w.read(target(a))).isEqualTo("three");
    w.assertOnlyLastReceivedHolds(target(a));
    if (caps.bookmarks()) {
      long guid = w.zfs.listVersions(a).get(2).guid();
      assertThat(w.bookmarkNames(a))
          .containsExactly(String.format("zrepl_CURSOR_G_%016x_J_job", guid));
    } else {
      assertThat(w.bookmarkNames(a)).isEmpty();
    }
  }

  @ParameterizedTest
  @MethodSource("presets")
  void withoutBatchingEachSnapshotIsOneStep(ZfsCapabilities caps) {
    FakeWorld w = new FakeWorld(caps);
    DatasetPath a = w.fs("src/a");
    w.snapshot("s1", a);
    w.run(filter("src/a"));
    w.snapshot("s2", a);
    w.snapshot("s3", a);

    ReplicationReport report =
        w.run(filter("src/a"), ReplicationPolicy.defaults().withBatchIntermediates(false));

    assertThat(report.results().get(0))
        .isEqualTo(
            new FilesystemResult.Ok(
                a,
                "incremental: @s1 -> @s2, @s2 -> @s3",
                2,
                ((FilesystemResult.Ok) report.results().get(0)).bytes()));
    assertThat(w.events.of(ProgressEvent.StepCompleted.class))
        .extracting(ProgressEvent.StepCompleted::step, ProgressEvent.StepCompleted::steps)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1, 1),
            org.assertj.core.groups.Tuple.tuple(1, 2),
            org.assertj.core.groups.Tuple.tuple(2, 2));
  }

  @ParameterizedTest
  @MethodSource("presets")
  void divergedReceiverIsReportedNamingBothSidesAndNothingIsDestroyed(ZfsCapabilities caps) {
    FakeWorld w = new FakeWorld(caps);
    DatasetPath a = w.fs("src/a");
    w.snapshot("s1", a);
    w.run(filter("src/a"));
    w.snapshot("s2", a);
    w.write(target(a), "changed on the receiver");
    w.snapshot("mine", target(a));
    int destroysBefore = w.zfs.processesStarted("destroy");

    ReplicationReport report = w.run(filter("src/a"));

    assertThat(report.isSuccess()).isFalse();
    FilesystemResult r = report.result(a).orElseThrow();
    assertThat(r).isInstanceOf(FilesystemResult.ConflictFound.class);
    assertThat(((FilesystemResult.ConflictFound) r).conflict())
        .isInstanceOf(Conflict.Diverged.class);
    assertThat(r.describe())
        .contains("src/a", "@s1", "receiver-only snapshots @mine", "sender-only snapshots @s2");
    assertThat(report.needingAttention())
        .extracting(FilesystemResult::filesystem)
        .containsExactly(a);
    assertThat(w.snapshotNames(target(a))).containsExactly("s1", "mine");
    assertThat(w.read(target(a))).isEqualTo("changed on the receiver");
    assertThat(w.zfs.processesStarted("destroy")).isEqualTo(destroysBefore);
    w.assertOnlyLastReceivedHoldsOn(target(a), "s1");
  }

  @ParameterizedTest
  @MethodSource("presets")
  void filterIsRespected(ZfsCapabilities caps) {
    FakeWorld w = new FakeWorld(caps);
    DatasetPath a = w.fs("src/a");
    DatasetPath secret = w.fs("src/a/secret");
    DatasetPath other = w.fs("src/other");
    w.snapshot("s1", a, secret, other);

    ReplicationReport report = w.run(DatasetFilter.of(Map.of("src/a<", "ok", "src/a/secret", "!")));

    assertThat(report.results()).extracting(FilesystemResult::filesystem).containsExactly(a);
    assertThat(w.exists(target(secret))).isFalse();
    assertThat(w.exists(target(other))).isFalse();
    assertThat(
            w.sender(DatasetFilter.of(Map.of("src/a<", "ok", "src/a/secret", "!")))
                .listFilesystems())
        .extracting(f -> f.path().toString())
        .containsExactly("src/a");
  }

  @ParameterizedTest
  @MethodSource("presets")
  void reportsTheGuaranteesTheZfsCannotGive(ZfsCapabilities caps) {
    FakeWorld w = new FakeWorld(caps);
    w.snapshot("s1", w.fs("src/a"));

    ReplicationReport report = w.run(filter("src/a"));

    if (caps.equals(ZfsCapabilities.zfsFuse())) {
      assertThat(report.guaranteesOff()).containsExactlyInAnyOrder(Guarantee.values());
      assertThat(report.describe())
          .contains("guarantees off", "RESUMABILITY", "LAST_RECEIVED_HOLD");
    } else {
      assertThat(report.guaranteesOff()).isEmpty();
    }
    assertThat(w.events.of(ProgressEvent.RunStarted.class).get(0).guaranteesOff())
        .isEqualTo(report.guaranteesOff());
  }

  @ParameterizedTest
  @MethodSource("presets")
  void senderWithoutSnapshotsIsAConflictAndOthersStillReplicate(ZfsCapabilities caps) {
    FakeWorld w = new FakeWorld(caps);
    DatasetPath a = w.fs("src/a");
    DatasetPath b = w.fs("src/b");
    w.snapshot("s1", b);

    ReplicationReport report = w.run(filter("src/a", "src/b"));

    assertThat(report.result(a).orElseThrow().describe()).contains("sender has no snapshots");
    assertThat(report.result(b).orElseThrow()).isInstanceOf(FilesystemResult.Ok.class);
    assertThat(w.snapshotNames(target(b))).containsExactly("s1");
  }

  @ParameterizedTest
  @MethodSource("presets")
  void conflictResolutionRuleRollsTheReceiverBackThenReplicates(ZfsCapabilities caps) {
    FakeWorld w = new FakeWorld(caps);
    DatasetPath a = w.fs("src/a");
    w.snapshot("s1", a);
    w.run(filter("src/a"));
    w.write(a, "sender's");
    w.snapshot("s2", a);
    w.write(target(a), "scratch on the receiver");
    w.snapshot("scratch_1", target(a));
    w.write(target(a), "more scratch");
    ReplicationPolicy policy =
        ReplicationPolicy.defaults()
            .withPlanning(
                PlanningPolicy.defaults()
                    .withRollbackRule(java.util.regex.Pattern.compile("^scratch_")));

    ReplicationReport report = w.run(filter("src/a"), policy);

    assertThat(report.isSuccess()).as(report.describe()).isTrue();
    assertThat(report.results().get(0).describe()).contains("roll receiver back to @s1");
    assertThat(w.snapshotNames(target(a))).containsExactly("s1", "s2");
    assertThat(w.read(target(a))).isEqualTo("sender's");
    w.assertOnlyLastReceivedHolds(target(a));
  }

  @org.junit.jupiter.api.Test
  void duringAStepBothSidesHoldItsSnapshots() {
    FakeWorld w = new FakeWorld(ZfsCapabilities.openZfs21());
    DatasetPath a = w.fs("src/a");
    w.snapshot("s1", a);
    w.run(filter("src/a"));
    w.write(a, "x".repeat(200_000));
    w.snapshot("s2", a);
    java.util.List<String> seen = new java.util.ArrayList<>();
    ProgressListener probe =
        e -> {
          if (e instanceof ProgressEvent.BytesSent && seen.isEmpty()) {
            seen.addAll(w.allHolds());
          }
        };

    ReplicationReport report =
        new ReplicationEngine(w.clock, w.clock::sleep)
            .run(w.sender(filter("src/a")), w.receiver(), ReplicationPolicy.defaults(), probe);

    assertThat(report.isSuccess()).as(report.describe()).isTrue();
    assertThat(seen)
        .containsExactlyInAnyOrder(
            "src/a@s1=zrepl_STEP_J_job",
            "src/a@s2=zrepl_STEP_J_job",
            "dst/src/a@s1=zrepl_STEP_J_job",
            "dst/src/a@s1=zrepl_last_received_J_job");
    w.assertOnlyLastReceivedHolds(target(a));
  }

  @org.junit.jupiter.api.Test
  void aListingFailureIsARunErrorNamingTheCause() {
    FakeWorld w = new FakeWorld(ZfsCapabilities.openZfs21());
    w.snapshot("s1", w.fs("src/a"));
    var unmapping =
        new org.zrepl.app.endpoint.LocalReceiver(w.zfs, s -> java.util.Optional.empty(), "job");

    ReplicationReport report =
        new ReplicationEngine(w.clock, w.clock::sleep)
            .run(w.sender(filter("src/a")), unmapping, ReplicationPolicy.defaults(), w.events);

    assertThat(report.isSuccess()).isFalse();
    assertThat(report.runError())
        .hasValueSatisfying(e -> assertThat(e).contains("src/a", "no mapping"));
    assertThat(report.describe()).startsWith("replication failed: ");
  }
}
