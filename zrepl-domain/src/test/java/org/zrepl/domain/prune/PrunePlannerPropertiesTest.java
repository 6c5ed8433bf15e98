package org.zrepl.domain.prune;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.zrepl.domain.version.FilesystemVersion;

/** Invariants of the planner over random histories, rule sets and contexts. */
class PrunePlannerPropertiesTest {

  private record Spec(String prefix, int minutes, boolean alsoBookmark) {}

  private static final List<String> REGEXES = List.of(".", "^zrepl_", "^manual_", "_1", "x");

  private static final List<String> GRIDS =
      List.of(
          "1x1h(keep=all) | 24x1h | 14x1d",
          "1x1h | 1x1h",
          "3x10m(keep=2) | 2x1d",
          "1x1d(keep=all)",
          "1x6h(keep=all) | 1x1h(keep=all) | 4x1w(keep=3)");

  @Provide
  Arbitrary<List<FilesystemVersion>> histories() {
    Arbitrary<Spec> spec =
        Combinators.combine(
                Arbitraries.of("zrepl_", "manual_", "other_"),
                Arbitraries.integers().between(0, 40 * 24 * 60),
                Arbitraries.of(true, false))
            .as(Spec::new);
    return spec.list().ofMaxSize(25).map(PrunePlannerPropertiesTest::build);
  }

  /** Snapshot i is named prefix+i; createtxg follows creation; some have a bookmark twin. */
  private static List<FilesystemVersion> build(List<Spec> specs) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < specs.size(); i++) {
      order.add(i);
    }
    order.sort(
        Comparator.comparingInt((Integer i) -> specs.get(i).minutes()).thenComparing(i -> i));
    List<FilesystemVersion> out = new ArrayList<>();
    for (int rank = 0; rank < order.size(); rank++) {
      int i = order.get(rank);
      Spec s = specs.get(i);
      long txg = rank + 1L;
      var at = Versions.T0.plus(Duration.ofMinutes(s.minutes()));
      out.add(FilesystemVersion.snapshot(s.prefix() + i, 1000 + txg, txg, at));
      if (s.alsoBookmark()) {
        out.add(FilesystemVersion.bookmark(s.prefix() + i, 1000 + txg, txg, at));
      }
    }
    return out;
  }

  @Provide
  Arbitrary<List<KeepRule>> ruleSets() {
    Arbitrary<Pattern> regex = Arbitraries.of(REGEXES).map(Pattern::compile);
    Arbitrary<KeepRule> grid =
        Combinators.combine(Arbitraries.of(GRIDS).map(RetentionGrid::parse), regex)
            .as(KeepRule.KeepGrid::new);
    Arbitrary<KeepRule> lastN =
        Combinators.combine(Arbitraries.integers().between(1, 6), regex.optional())
            .as(KeepRule.KeepLastN::new);
    Arbitrary<KeepRule> byRegex =
        Combinators.combine(regex, Arbitraries.of(true, false)).as(KeepRule.KeepRegex::new);
    Arbitrary<KeepRule> notReplicated =
        Arbitraries.of(true, false).map(KeepRule.KeepNotReplicated::new);
    return Arbitraries.oneOf(grid, lastN, byRegex, notReplicated).list().ofMaxSize(4);
  }

  /** A cursor at a snapshot of the history (by index), at a bare txg, or none. */
  private static PruneContext context(
      List<FilesystemVersion> history, int cursorChoice, List<Integer> protectedIndexes) {
    List<FilesystemVersion> snaps = snapshots(history);
    Optional<ReplicationCursor> cursor;
    if (cursorChoice < 0 || snaps.isEmpty()) {
      cursor = Optional.empty();
    } else if (cursorChoice % 3 == 0) {
      cursor = Optional.of(new ReplicationCursor(-1, cursorChoice + 1L)); // snapshot is gone
    } else {
      FilesystemVersion at = snaps.get(cursorChoice % snaps.size());
      cursor = Optional.of(new ReplicationCursor(at.guid(), at.createTxg()));
    }
    Set<Long> guids = new HashSet<>();
    for (int i : protectedIndexes) {
      if (!snaps.isEmpty()) {
        guids.add(snaps.get(i % snaps.size()).guid());
      }
    }
    return new PruneContext(cursor, guids);
  }

  private static List<FilesystemVersion> snapshots(List<FilesystemVersion> vs) {
    return vs.stream().filter(FilesystemVersion::isSnapshot).toList();
  }

  @Property(tries = 1000)
  void pruningOnlyDestroysWhatEveryRuleRejects(
      @ForAll("histories") List<FilesystemVersion> history,
      @ForAll("ruleSets") List<KeepRule> rules,
      @ForAll @IntRange(min = -1, max = 40) int cursorChoice,
      @ForAll @Size(max = 3) List<@IntRange(min = 0, max = 40) Integer> protectedIndexes) {
    PruneContext ctx = context(history, cursorChoice, protectedIndexes);
    PrunePlan plan = PrunePlanner.plan(history, rules, ctx);
    Set<FilesystemVersion> destroyed = new HashSet<>(plan.toDestroy());
    for (FilesystemVersion s : snapshots(history)) {
      boolean everyRuleRejects = rules.stream().allMatch(r -> r.notKept(history, ctx).contains(s));
      boolean expectDestroy = !rules.isEmpty() && everyRuleRejects && !ctx.isProtected(s.guid());
      assertThat(destroyed.contains(s)).as("destroyed %s", s).isEqualTo(expectDestroy);
    }
  }

  @Property(tries = 1000)
  void neverDestroysAProtectedSnapshot(
      @ForAll("histories") List<FilesystemVersion> history,
      @ForAll("ruleSets") List<KeepRule> rules,
      @ForAll @IntRange(min = -1, max = 40) int cursorChoice,
      @ForAll @Size(min = 1, max = 3) List<@IntRange(min = 0, max = 40) Integer> protectedIndexes) {
    PruneContext ctx = context(history, cursorChoice, protectedIndexes);
    PrunePlan plan = PrunePlanner.plan(history, rules, ctx);
    assertThat(plan.toDestroy()).noneMatch(s -> ctx.isProtected(s.guid()));
    assertThat(plan.decisions())
        .filteredOn(d -> ctx.isProtected(d.snapshot().guid()))
        .allSatisfy(d -> assertThat(d.reason()).isEqualTo(PruneDecision.PROTECTED_REASON));
  }

  @Property(tries = 1000)
  void emptyRulesDestroyNothing(
      @ForAll("histories") List<FilesystemVersion> history,
      @ForAll @IntRange(min = -1, max = 40) int cursorChoice) {
    PruneContext ctx = context(history, cursorChoice, List.of());
    assertThat(PrunePlanner.plan(history, List.of(), ctx).toDestroy()).isEmpty();
  }

  @Property(tries = 1000)
  void everySnapshotGetsExactlyOneDecisionAndBookmarksNone(
      @ForAll("histories") List<FilesystemVersion> history,
      @ForAll("ruleSets") List<KeepRule> rules,
      @ForAll @IntRange(min = -1, max = 40) int cursorChoice) {
    PruneContext ctx = context(history, cursorChoice, List.of());
    PrunePlan plan = PrunePlanner.plan(history, rules, ctx);
    assertThat(plan.decisions())
        .extracting(PruneDecision::snapshot)
        .containsExactlyInAnyOrderElementsOf(snapshots(history));
    for (KeepRule r : rules) {
      assertThat(r.notKept(history, ctx)).isSubsetOf(snapshots(history));
    }
  }
}
