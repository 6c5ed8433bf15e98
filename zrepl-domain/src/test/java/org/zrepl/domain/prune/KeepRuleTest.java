package org.zrepl.domain.prune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.zrepl.domain.prune.KeepRule.KeepGrid;
import org.zrepl.domain.prune.KeepRule.KeepLastN;
import org.zrepl.domain.prune.KeepRule.KeepNotReplicated;
import org.zrepl.domain.prune.KeepRule.KeepRegex;

class KeepRuleTest {

  private static final RetentionGrid GRID = RetentionGrid.parse("1x1h(keep=all) | 24x1h");

  @Test
  void lastNCountMustBePositive() {
    assertThatThrownBy(() -> new KeepLastN(0, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("count must be positive, got 0");
    assertThatThrownBy(() -> new KeepLastN(-5)).hasMessage("count must be positive, got -5");
  }

  @Test
  void gridRegexMustNotBeEmpty() {
    assertThatThrownBy(() -> new KeepGrid(GRID, Pattern.compile("")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("grid regex must not be empty");
    assertThatThrownBy(() -> new KeepGrid(null, Pattern.compile("x")))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("grid");
  }

  @Test
  void rulesWithTheSamePatternTextAreEqual() {
    assertThat(new KeepGrid(GRID, Pattern.compile("^zrepl_")))
        .isEqualTo(
            new KeepGrid(RetentionGrid.parse("1x1h(keep=all)|24x1h"), Pattern.compile("^zrepl_")))
        .hasSameHashCodeAs(new KeepGrid(GRID, Pattern.compile("^zrepl_")))
        .isNotEqualTo(new KeepGrid(GRID, Pattern.compile("^manual_")));
    assertThat(new KeepLastN(3, Optional.of(Pattern.compile("a"))))
        .isEqualTo(new KeepLastN(3, Optional.of(Pattern.compile("a"))))
        .isNotEqualTo(new KeepLastN(3))
        .isNotEqualTo(new KeepLastN(4, Optional.of(Pattern.compile("a"))));
    assertThat(new KeepRegex(Pattern.compile("a"), true))
        .isEqualTo(new KeepRegex(Pattern.compile("a"), true))
        .isNotEqualTo(new KeepRegex(Pattern.compile("a"), false))
        .isNotEqualTo(new KeepRegex(Pattern.compile("a", Pattern.CASE_INSENSITIVE), true));
  }

  @Test
  void notReplicatedKeepsTheSnapshotAtTheCursorByDefault() {
    assertThat(new KeepNotReplicated().keepSnapshotAtCursor()).isTrue();
  }

  @Test
  void describesItselfInConfigVocabulary() {
    assertThat(new KeepGrid(GRID, Pattern.compile("^zrepl_")).describe())
        .isEqualTo("grid 1x1h(keep=all) | 24x1h regex=^zrepl_");
    assertThat(new KeepLastN(10).describe()).isEqualTo("last_n count=10");
    assertThat(new KeepLastN(10, Optional.of(Pattern.compile("^a"))).describe())
        .isEqualTo("last_n count=10 regex=^a");
    assertThat(new KeepRegex(Pattern.compile("^manual_"), false).describe())
        .isEqualTo("regex ^manual_");
    assertThat(new KeepRegex(Pattern.compile("^zrepl_"), true).describe())
        .isEqualTo("regex negate ^zrepl_");
    assertThat(new KeepNotReplicated().describe()).isEqualTo("not_replicated");
    assertThat(new KeepNotReplicated(false).describe())
        .isEqualTo("not_replicated keep_snapshot_at_cursor=false");
  }
}
