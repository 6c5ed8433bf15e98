package org.zrepl.domain.prune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.zrepl.domain.prune.Versions.names;
import static org.zrepl.domain.prune.Versions.v;
import static org.zrepl.domain.prune.Versions.versions;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.zrepl.domain.prune.KeepRule.KeepGrid;
import org.zrepl.domain.prune.KeepRule.KeepLastN;
import org.zrepl.domain.prune.KeepRule.KeepNotReplicated;
import org.zrepl.domain.prune.KeepRule.KeepRegex;
import org.zrepl.domain.version.FilesystemVersion;

class PrunePlannerTest {

  private static final KeepRule MANUAL = new KeepRegex(Pattern.compile("^manual_"), false);
  private static final KeepRule LAST_2_ZREPL =
      new KeepLastN(2, Optional.of(Pattern.compile("^zrepl_")));

  private static final List<FilesystemVersion> HISTORY =
      versions(
          "@zrepl_1,1,0",
          "@manual_a,2,1",
          "@zrepl_2,3,2",
          "#zrepl_2,3,2",
          "@zrepl_3,4,3",
          "@zrepl_4,5,4");

  @Test
  void destroysOnlyWhatNoRuleKeeps() {
    PrunePlan plan = PrunePlanner.plan(HISTORY, List.of(MANUAL, LAST_2_ZREPL), PruneContext.none());
    assertThat(names(plan.toDestroy())).containsExactly("zrepl_1", "zrepl_2");
    assertThat(names(plan.toKeep())).containsExactly("manual_a", "zrepl_3", "zrepl_4");
  }

  @Test
  void reasonsArePrintable() {
    PrunePlan plan =
        PrunePlanner.plan(
            HISTORY,
            List.of(MANUAL, LAST_2_ZREPL, new KeepLastN(1)),
            PruneContext.none().protecting(Set.of(3L)));
    assertThat(plan.describe())
        .isEqualTo(
            """
            destroy @zrepl_1: not kept by any rule
            keep @manual_a: kept by regex ^manual_
            keep @zrepl_2: protected: incremental base
            keep @zrepl_3: kept by last_n count=2 regex=^zrepl_
            keep @zrepl_4: kept by last_n count=2 regex=^zrepl_; last_n count=1\
            """);
  }

  @Test
  void protectedSnapshotsAreKeptWhateverTheRulesSay() {
    PrunePlan plan =
        PrunePlanner.plan(
            HISTORY,
            List.of(new KeepRegex(Pattern.compile("nothing"), false)),
            PruneContext.none().protecting(Set.of(4L)));
    assertThat(names(plan.toKeep())).containsExactly("zrepl_3");
    PruneDecision d = plan.decisions().get(3);
    assertThat(d).isInstanceOf(PruneDecision.Keep.class);
    assertThat(d.reason()).isEqualTo(PruneDecision.PROTECTED_REASON);
    assertThat(((PruneDecision.Keep) d).keptBy()).isEmpty();
  }

  @Test
  void anEmptyRuleListDestroysNothing() {
    PrunePlan plan = PrunePlanner.plan(HISTORY, List.of(), PruneContext.none());
    assertThat(plan.toDestroy()).isEmpty();
    assertThat(plan.decisions())
        .allSatisfy(
            d -> assertThat(d.reason()).isEqualTo("no keep rules configured, nothing is pruned"));
  }

  @Test
  void bookmarksAreNeitherPlannedNorDestroyed() {
    PrunePlan plan =
        PrunePlanner.plan(
            HISTORY, List.of(new KeepRegex(Pattern.compile(".+"), true)), PruneContext.none());
    assertThat(plan.decisions()).extracting(d -> d.snapshot().isSnapshot()).containsOnly(true);
    assertThat(plan.toDestroy()).hasSize(5);
  }

  @Test
  void decisionsAreOrderedOldestFirstByCreateTxg() {
    List<FilesystemVersion> shuffled = versions("@c,30,0", "@a,10,2", "@b,20,1");
    PrunePlan plan = PrunePlanner.plan(shuffled, List.of(), PruneContext.none());
    assertThat(plan.decisions())
        .extracting(d -> d.snapshot().name())
        .containsExactly("a", "b", "c");
  }

  @Test
  void duplicateSnapshotNamesAreRejected() {
    assertThatThrownBy(
            () ->
                PrunePlanner.plan(
                    versions("@a,1,0", "@a,2,1"), List.of(MANUAL), PruneContext.none()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("duplicate snapshot name '@a'");
  }

  @Test
  void senderSideWithNotReplicatedAndGrid() {
    // zrepl's documented sender config: not_replicated, regex ^manual_, grid on ^zrepl_
    List<KeepRule> rules =
        List.of(
            new KeepNotReplicated(),
            MANUAL,
            new KeepGrid(
                RetentionGrid.parse("1x1h(keep=all) | 24x1h | 14x1d"), Pattern.compile("^zrepl_")));
    List<FilesystemVersion> vs =
        versions(
            "@zrepl_old,1,-30000", // ~21 days before the youngest: off the grid
            "@manual_keep,2,-29000",
            "@zrepl_a,3,-130", // 2h10m before zrepl_d: a 1h bucket of its own
            "@zrepl_b,4,-125", // same bucket as zrepl_a, younger: destroyed
            "@zrepl_c,5,-10", // first hour: keep=all
            "@zrepl_d,6,0"); // youngest: now, not replicated yet
    ReplicationCursor cursor = new ReplicationCursor(5, 5); // zrepl_c was replicated last
    PrunePlan plan = PrunePlanner.plan(vs, rules, PruneContext.withCursor(cursor));
    assertThat(names(plan.toDestroy())).containsExactly("zrepl_old", "zrepl_b");
  }

  @Test
  void destroyRejectsBookmarks() {
    assertThatThrownBy(() -> new PruneDecision.Destroy(v("#b,1,0")))
        .hasMessage("only snapshots can be destroyed by pruning, got bookmark #b");
  }

  @Test
  void incrementalBaseIsTheNewestSnapshotBothSidesShare() {
    List<FilesystemVersion> sender = versions("@a,1,0", "@b,2,1", "@c,3,2", "#d,4,3");
    List<FilesystemVersion> receiver = versions("@a,1,0", "@b,2,1", "@d,4,3");
    assertThat(PrunePlanner.incrementalBase(sender, receiver)).contains(v("@b,2,1"));
    assertThat(PrunePlanner.incrementalBase(sender, versions("@x,9,0"))).isEmpty();
    assertThat(PrunePlanner.incrementalBase(sender, versions("#b,2,1"))).isEmpty();
  }
}
