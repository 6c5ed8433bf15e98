package org.zrepl.domain.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.zrepl.domain.replication.Versions.incremental;
import static org.zrepl.domain.replication.Versions.initial;
import static org.zrepl.domain.replication.Versions.step;
import static org.zrepl.domain.replication.Versions.v;
import static org.zrepl.domain.replication.Versions.versions;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ReplicationPlannerTest {

  private static final PlanningPolicy DEFAULTS = PlanningPolicy.defaults();
  private static final PlanningPolicy ZREPL_ONLY =
      DEFAULTS.withSnapshotFilter(Pattern.compile("^zrepl_"));
  private static final PlanningPolicy ROLLBACK_ZREPL =
      DEFAULTS.withRollbackRule(Pattern.compile("^zrepl_"));

  static Arguments c(
      String name,
      List<String> sender,
      List<String> receiver,
      PlanningPolicy policy,
      ReplicationPlan expected) {
    return Arguments.of(name, sender, receiver, policy, expected);
  }

  static List<String> l(String... s) {
    return List.of(s);
  }

  static Stream<Arguments> table() {
    return Stream.of(
        c(
            "up to date",
            l("@a,1", "@b,2"),
            l("@a,1,7", "@b,2,8"),
            DEFAULTS,
            new ReplicationPlan.UpToDate(v("@b,2,8"))),
        c(
            "incremental through every newer snapshot",
            l("@a,1", "@b,2", "@c,3"),
            l("@a,1"),
            DEFAULTS,
            incremental(step("@a,1", "@b,2"), step("@b,2", "@c,3"))),
        c(
            "matched by guid, not by name",
            l("@a,1", "@b,2"),
            l("@renamed,1,50"),
            DEFAULTS,
            incremental(step("@a,1", "@b,2"))),
        c(
            "same name, other guid is no match",
            l("@a,1", "@b,2"),
            l("@a,9"),
            DEFAULTS,
            new Conflict.NoCommonAncestor(versions("@a,1", "@b,2"), versions("@a,9"))),
        c(
            "newest common snapshot is the start",
            l("@a,1", "@b,2", "@c,3"),
            l("@a,1,10", "@b,2,11"),
            DEFAULTS,
            incremental(step("@b,2", "@c,3"))),
        c(
            "from a bookmark when the sender destroyed the snapshot",
            l("#a,1", "@b,2", "@c,3"),
            l("@a,1"),
            DEFAULTS,
            incremental(step("#a,1", "@b,2"), step("@b,2", "@c,3"))),
        c(
            "snapshot preferred to its bookmark",
            l("#a,1", "@a,1", "@b,2"),
            l("@a,1"),
            DEFAULTS,
            incremental(step("@a,1", "@b,2"))),
        c(
            "bookmarks are never a to",
            l("@a,1", "#b,2", "@c,3", "#d,4"),
            l("@a,1"),
            DEFAULTS,
            incremental(step("@a,1", "@c,3"))),
        c(
            "up to date via a bookmark",
            l("#a,1"),
            l("@a,1"),
            DEFAULTS,
            new ReplicationPlan.UpToDate(v("@a,1"))),
        c(
            "receiver bookmarks play no part",
            l("@a,1", "@b,2"),
            l("@a,1", "#x,77,99"),
            DEFAULTS,
            incremental(step("@a,1", "@b,2"))),
        c(
            "receiver with only bookmarks gets an initial replication",
            l("@a,1", "@b,2"),
            l("#a,1"),
            DEFAULTS,
            initial(step(null, "@b,2"))),
        c(
            "no common ancestor",
            l("@a,1", "#b,2", "@c,3"),
            l("@x,7", "@y,8"),
            DEFAULTS,
            new Conflict.NoCommonAncestor(
                versions("@a,1", "#b,2", "@c,3"), versions("@x,7", "@y,8"))),
        c(
            "diverged",
            l("@a,1", "@b,2", "@c,3"),
            l("@a,1", "@x,9"),
            DEFAULTS,
            new Conflict.Diverged(v("@a,1"), versions("@b,2", "@c,3"), versions("@x,9"))),
        c(
            "diverged on an older common snapshot",
            l("@a,1", "@b,2", "@c,3"),
            l("@a,1,5", "@b,2,6", "@x,9,7", "@y,10,8"),
            DEFAULTS,
            new Conflict.Diverged(v("@b,2,6"), versions("@c,3"), versions("@x,9,7", "@y,10,8"))),
        c(
            "diverged receiver order is the receiver's createtxg",
            l("@a,1", "@b,2"),
            l("@x,9,3", "@a,1,4"),
            DEFAULTS,
            incremental(step("@a,1", "@b,2"))),
        c(
            "rollback when every receiver-only snapshot matches the rule",
            l("@a,1", "@b,2", "@c,3"),
            l("@a,1", "@zrepl_x,9", "@zrepl_y,10"),
            ROLLBACK_ZREPL,
            new ReplicationPlan.RollbackThenIncremental(
                v("@a,1"),
                versions("@zrepl_x,9", "@zrepl_y,10"),
                List.of(step("@a,1", "@b,2"), step("@b,2", "@c,3")))),
        c(
            "rollback with nothing to send after it",
            l("@a,1"),
            l("@a,1", "@zrepl_x,9"),
            ROLLBACK_ZREPL,
            new ReplicationPlan.RollbackThenIncremental(
                v("@a,1"), versions("@zrepl_x,9"), List.of())),
        c(
            "no rollback when one receiver-only snapshot does not match",
            l("@a,1", "@b,2"),
            l("@a,1", "@zrepl_x,9", "@manual,10"),
            ROLLBACK_ZREPL,
            new Conflict.Diverged(
                v("@a,1"), versions("@b,2"), versions("@zrepl_x,9", "@manual,10"))),
        c(
            "never a rollback by default",
            l("@a,1", "@b,2"),
            l("@a,1", "@zrepl_x,9"),
            DEFAULTS,
            new Conflict.Diverged(v("@a,1"), versions("@b,2"), versions("@zrepl_x,9"))),
        c(
            "sender and receiver empty",
            l(),
            l(),
            DEFAULTS,
            new Conflict.SenderHasNoSnapshots(0, List.of())),
        c(
            "sender has only bookmarks",
            l("#a,1"),
            l(),
            DEFAULTS,
            new Conflict.SenderHasNoSnapshots(0, List.of())),
        c(
            "sender has nothing the filter accepts",
            l("@a,1", "@b,2"),
            l(),
            ZREPL_ONLY,
            new Conflict.SenderHasNoSnapshots(2, List.of())),
        c(
            "sender empty, receiver not",
            l(),
            l("@a,1"),
            DEFAULTS,
            new Conflict.SenderHasNoSnapshots(0, versions("@a,1"))),
        c(
            "initial most_recent",
            l("@a,1", "@b,2", "#c,3", "@d,4"),
            l(),
            DEFAULTS,
            initial(step(null, "@d,4"))),
        c(
            "initial all",
            l("@a,1", "@b,2", "#c,3", "@d,4"),
            l(),
            DEFAULTS.withInitialReplication(InitialReplication.ALL),
            initial(step(null, "@a,1"), step("@a,1", "@b,2"), step("@b,2", "@d,4"))),
        c(
            "initial all with a single snapshot",
            l("@a,1"),
            l(),
            DEFAULTS.withInitialReplication(InitialReplication.ALL),
            initial(step(null, "@a,1"))),
        c(
            "initial fail",
            l("@a,1", "#b,2", "@c,3"),
            l(),
            DEFAULTS.withInitialReplication(InitialReplication.FAIL),
            new Conflict.InitialReplicationRefused(versions("@a,1", "@c,3"))),
        c(
            "initial most_recent respects the filter",
            l("@zrepl_a,1", "@manual,2"),
            l(),
            ZREPL_ONLY,
            initial(step(null, "@zrepl_a,1"))),
        c(
            "initial all respects the filter",
            l("@zrepl_a,1", "@manual,2", "@zrepl_c,3"),
            l(),
            ZREPL_ONLY.withInitialReplication(InitialReplication.ALL),
            initial(step(null, "@zrepl_a,1"), step("@zrepl_a,1", "@zrepl_c,3"))),
        c(
            "incremental skips filtered snapshots",
            l("@zrepl_a,1", "@manual,2", "@zrepl_c,3", "@manual2,4"),
            l("@zrepl_a,1"),
            ZREPL_ONLY,
            incremental(step("@zrepl_a,1", "@zrepl_c,3"))),
        c(
            "up to date when only filtered snapshots are newer",
            l("@zrepl_a,1", "@manual,2"),
            l("@zrepl_a,1"),
            ZREPL_ONLY,
            new ReplicationPlan.UpToDate(v("@zrepl_a,1"))),
        c(
            "a filtered snapshot may still be the common ancestor",
            l("@manual,1", "@zrepl_b,2"),
            l("@manual,1"),
            ZREPL_ONLY,
            incremental(step("@manual,1", "@zrepl_b,2"))),
        c(
            "no common ancestor and nothing the filter accepts",
            l("@manual,1"),
            l("@x,9"),
            ZREPL_ONLY,
            new Conflict.SenderHasNoSnapshots(1, versions("@x,9"))),
        c(
            "snapshots of one txg: only the last by name is sent",
            l("@a,1", "@b,2,5", "@c,3,5"),
            l("@a,1"),
            DEFAULTS,
            incremental(step("@a,1", "@c,3,5"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void plans(
      String name,
      List<String> sender,
      List<String> receiver,
      PlanningPolicy policy,
      ReplicationPlan expected) {
    List<String> shuffledSender = new ArrayList<>(sender);
    Collections.reverse(shuffledSender);
    ReplicationPlan forward = ReplicationPlanner.plan(specs(sender), specs(receiver), policy);
    assertThat(forward).isEqualTo(expected);
    assertThat(ReplicationPlanner.plan(specs(shuffledSender), specs(receiver), policy))
        .as("input order must not matter")
        .isEqualTo(expected);
  }

  private static List<org.zrepl.domain.version.FilesystemVersion> specs(List<String> s) {
    return versions(s.toArray(String[]::new));
  }

  @Test
  void describeNamesBothSides() {
    assertThat(
            ReplicationPlanner.plan(
                    versions("@a,1", "#b,2", "@c,3"), versions("@x,7", "@y,8"), DEFAULTS)
                .describe())
        .isEqualTo(
            "no common snapshot: the receiver's snapshots (@x, @y) share no guid with the"
                + " sender's snapshots and bookmarks (@a, #b, @c); destroy the receiver's"
                + " filesystem or replicate it to another place");
    assertThat(
            ReplicationPlanner.plan(
                    versions("@a,1", "@b,2", "@c,3"), versions("@a,1", "@x,9"), DEFAULTS)
                .describe())
        .isEqualTo(
            "receiver diverged after the common snapshot @a: receiver-only snapshots @x,"
                + " sender-only snapshots @b, @c; roll the receiver back to @a (zfs rollback -r)"
                + " or configure a conflict-resolution rule");
    assertThat(
            ReplicationPlanner.plan(versions("@a,1", "@b,2"), versions("@x,9"), ZREPL_ONLY)
                .describe())
        .isEqualTo(
            "sender has no snapshots to replicate (2 excluded by the snapshot filter);"
                + " receiver has @x");
    assertThat(new Conflict.SenderHasNoSnapshots(0, List.of()).describe())
        .isEqualTo("sender has no snapshots to replicate; receiver has none");
    assertThat(
            ReplicationPlanner.plan(
                    versions("@a,1", "@b,2"),
                    List.of(),
                    DEFAULTS.withInitialReplication(InitialReplication.FAIL))
                .describe())
        .isEqualTo(
            "receiver has no snapshots and initial_replication is 'fail'; sender has @a, @b;"
                + " replicate one manually or set initial_replication to most_recent or all");
  }

  @Test
  void describeOfPlansToCarryOut() {
    assertThat(incremental(step("#a,1", "@b,2"), step("@b,2", "@c,3")).describe())
        .isEqualTo("incremental: #a -> @b, @b -> @c");
    assertThat(initial(step(null, "@a,1")).describe()).isEqualTo("initial replication: full @a");
    assertThat(new ReplicationPlan.UpToDate(v("@a,1")).describe()).isEqualTo("up to date at @a");
    assertThat(
            new ReplicationPlan.RollbackThenIncremental(
                    v("@a,1"), versions("@x,8", "@y,9"), List.of(step("@a,1", "@b,2")))
                .describe())
        .isEqualTo("roll receiver back to @a destroying @x, @y, then incremental: @a -> @b");
  }

  @Test
  void longListsAreAbbreviatedInMessages() {
    List<String> many = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      many.add("@s" + i + "," + i);
    }
    String d =
        new Conflict.NoCommonAncestor(versions(many.toArray(String[]::new)), versions("@x,99"))
            .describe();
    assertThat(d).contains("(@s1, @s2, @s3, @s4, ... (12 more), @s17, @s18, @s19, @s20)");
  }
}
