package org.zrepl.domain.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DatasetFilterTest {

  /** Builds an insertion-ordered rule map from pattern, value, pattern, value, ... */
  static Map<String, String> rules(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  private static final DatasetFilter SEED =
      DatasetFilter.of(
          rules(
              "zroot<", "ok",
              "zroot/tmp<", "!",
              "zroot/tmp/keep", "ok",
              "zroot/var/db<", "true",
              "zroot/var/db/cache<", "false",
              "storage", "ok"));

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "zroot, true",
    "zroot/usr, true",
    "zroot/usr/home/a, true",
    "zroot/tmp, false",
    "zroot/tmp/x, false",
    "zroot/tmp/keep, true",
    "zroot/tmp/keep/below, false",
    "zroot/var/db, true",
    "zroot/var/db/cache, false",
    "zroot/var/db/cache/x, false",
    "zroot/var/dbx, true",
    "zrootx, false",
    "storage, true",
    "storage/child, false",
    "other, false",
  })
  void seedTable(String dataset, boolean included) {
    assertThat(SEED.matches(DatasetPath.of(dataset))).isEqualTo(included);
  }

  @Test
  void bareSubtreeMatchesEverythingButLongerPatternsWin() {
    DatasetFilter f = DatasetFilter.of(rules("<", "ok", "zroot/tmp<", "!"));
    assertThat(f.matches(DatasetPath.of("zroot"))).isTrue();
    assertThat(f.matches(DatasetPath.of("any/thing/at/all"))).isTrue();
    assertThat(f.matches(DatasetPath.of("zroot/tmp/a"))).isFalse();
  }

  @Test
  void reachIsTheTopmostNamedDatasetsIncludedOrExcludedOrEveryPoolForTheBarePattern() {
    DatasetFilter f =
        DatasetFilter.of(
            rules(
                "tank/home<", "ok", "tank/home/tmp<", "!", "backup/x", "!", "tank/homeless", "ok"));
    assertThat(f.reach())
        .contains(
            Set.of(
                DatasetPath.of("tank/home"),
                DatasetPath.of("backup/x"),
                DatasetPath.of("tank/homeless")));
    assertThat(DatasetFilter.of(rules("<", "ok", "zroot/tmp<", "!")).reach()).isEmpty();
  }

  @Test
  void exactPatternBeatsSubtreePatternOnTheSameDataset() {
    DatasetFilter f = DatasetFilter.of(rules("zroot/a", "!", "zroot/a<", "ok"));
    assertThat(f.matches(DatasetPath.of("zroot/a"))).isFalse();
    assertThat(f.matches(DatasetPath.of("zroot/a/b"))).isTrue();
  }

  @Test
  void orderOfRulesDoesNotMatter() {
    DatasetFilter reversed =
        DatasetFilter.of(rules("zroot/tmp<", "!", "<", "ok", "zroot/tmp/keep", "ok"));
    assertThat(reversed.matches(DatasetPath.of("zroot/tmp/x"))).isFalse();
    assertThat(reversed.matches(DatasetPath.of("zroot/tmp/keep"))).isTrue();
    assertThat(reversed.matches(DatasetPath.of("zroot"))).isTrue();
  }

  @Test
  void emptyFilterMatchesNothing() {
    assertThat(DatasetFilter.of(Map.of()).matches(DatasetPath.of("zroot"))).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"ok", "true", "TRUE", "True", "tRuE"})
  void includeValues(String value) {
    assertThat(DatasetFilter.of(rules("a<", value)).matches(DatasetPath.of("a/b"))).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"!", "false", "FALSE", "False"})
  void excludeValues(String value) {
    DatasetFilter f = DatasetFilter.of(rules("<", "ok", "a<", value));
    assertThat(f.matches(DatasetPath.of("a/b"))).isFalse();
    assertThat(f.matches(DatasetPath.of("b"))).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "yes", "no", "OK", "!!", " ok", "1", "storage/backups"})
  void otherValuesAreRejectedQuotingPatternAndValue(String value) {
    assertThatThrownBy(() -> DatasetFilter.of(rules("zroot<", value)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "invalid value '"
                + value
                + "' for filesystem pattern 'zroot<': expected 'ok', 'true', '!' or 'false'");
  }

  @Test
  void nullValueIsRejected() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("zroot<", null);
    assertThatThrownBy(() -> DatasetFilter.of(m))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'null'")
        .hasMessageContaining("'zroot<'");
  }

  @Test
  void malformedPatternIsRejected() {
    assertThatThrownBy(() -> DatasetFilter.of(rules("a<b", "ok")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("invalid filesystem pattern 'a<b': '<' may only end a pattern");
  }

  @Test
  void duplicatePatternWrittenTwiceIsRejected() {
    List<Map.Entry<String, String>> entries =
        List.of(Map.entry("zroot<", "ok"), Map.entry("zroot/a", "!"), Map.entry("zroot<", "!"));
    assertThatThrownBy(() -> DatasetFilter.ofEntries(entries))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("invalid filesystem pattern 'zroot<': duplicate pattern");
  }

  @Test
  void decideNamesTheDecidingPattern() {
    assertThat(SEED.decide(DatasetPath.of("zroot/tmp/x")))
        .isEqualTo(
            new Decision(
                DatasetPath.of("zroot/tmp/x"), Optional.of("zroot/tmp<"), false, Optional.empty()));
    assertThat(SEED.decide(DatasetPath.of("zroot/tmp/keep")).pattern()).contains("zroot/tmp/keep");
    assertThat(SEED.decide(DatasetPath.of("zroot/usr")).describe())
        .isEqualTo("zroot/usr: selected by 'zroot<'");
    assertThat(SEED.decide(DatasetPath.of("zroot/tmp/x")).describe())
        .isEqualTo("zroot/tmp/x: not selected (excluded by 'zroot/tmp<')");
    assertThat(SEED.decide(DatasetPath.of("other")).describe())
        .isEqualTo("other: not selected (no pattern matches)");
  }

  @Test
  void decisionRejectsInconsistentFields() {
    DatasetPath p = DatasetPath.of("a");
    assertThatThrownBy(() -> new Decision(p, Optional.empty(), true, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Decision(p, Optional.of("a"), false, Optional.of(p)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a");
  }

  @Test
  void namedDatasetsAreEveryRulesDatasetIncludedOrExcludedWithoutTheSubtreeMark() {
    assertThat(SEED.namedDatasets())
        .extracting(DatasetPath::toString)
        .containsExactly(
            "zroot",
            "zroot/tmp",
            "zroot/tmp/keep",
            "zroot/var/db",
            "zroot/var/db/cache",
            "storage");
    assertThat(DatasetFilter.of(rules("<", "ok")).namedDatasets()).isEmpty();
  }

  @Test
  void unmatchedNamesAreTheRulesWhoseDatasetIsNotListed() {
    List<DatasetPath> listed =
        List.of(
            DatasetPath.of("zroot"),
            DatasetPath.of("zroot/tmp"),
            DatasetPath.of("zroot/tmp/keep/child"),
            DatasetPath.of("zroot/var/db"),
            DatasetPath.of("storage"));
    // zroot/tmp/keep only has a child in the listing: the rule names no listed dataset
    assertThat(SEED.unmatchedNames(listed))
        .extracting(DatasetPath::toString)
        .containsExactly("zroot/tmp/keep", "zroot/var/db/cache");
    assertThat(SEED.unmatchedNames(List.of())).hasSize(6);
  }

  @Test
  void aMappingsFilterNamesItsSourceDatasets() {
    DatasetMapping m = DatasetMapping.of(rules("pool/src<", "backup/src", "pool/src/skip", "!"));
    assertThat(m.asFilter().unmatchedNames(List.of(DatasetPath.of("pool/src"))))
        .extracting(DatasetPath::toString)
        .containsExactly("pool/src/skip");
  }
}
