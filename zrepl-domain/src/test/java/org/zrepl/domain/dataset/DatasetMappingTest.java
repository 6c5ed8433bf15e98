package org.zrepl.domain.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.zrepl.domain.dataset.DatasetFilterTest.rules;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DatasetMappingTest {

  /** The seed's {@code local} job. */
  private static final DatasetMapping LOCAL_JOB =
      DatasetMapping.of(rules("zroot<", "storage/backups/zroot", "zroot/tmp<", "!"));

  /** The seed's bare {@code <} example. */
  private static final DatasetMapping BARE =
      DatasetMapping.of(
          rules(
              "<", "storage/backups/app-srv",
              "zroot/var/db<", "storage/db_replication/app-srv"));

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "zroot, storage/backups/zroot",
    "zroot/usr, storage/backups/zroot/usr",
    "zroot/usr/home/a, storage/backups/zroot/usr/home/a",
    "zroot/tmp, -",
    "zroot/tmp/x, -",
    "zrootx, -",
    "storage, -",
  })
  void localJob(String source, String target) {
    assertMaps(LOCAL_JOB, source, target);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "zroot, storage/backups/app-srv/zroot",
    "storage, storage/backups/app-srv/storage",
    "zroot/var, storage/backups/app-srv/zroot/var",
    "zroot/var/db, storage/db_replication/app-srv",
    "zroot/var/db/x, storage/db_replication/app-srv/x",
    "zroot/var/db/x/y, storage/db_replication/app-srv/x/y",
    "zroot/var/dbx, storage/backups/app-srv/zroot/var/dbx",
  })
  void bareSubtreeAppendsTheWholeSource(String source, String target) {
    assertMaps(BARE, source, target);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "pool/a, backup/exact",
    "pool/a/b, backup/sub/b",
    "pool, -",
    "pool/ab, -",
    "pool/c, backup/c-exact",
    "pool/c/d, -",
  })
  void exactPatternsMapExactly(String source, String target) {
    DatasetMapping m =
        DatasetMapping.of(
            rules("pool/a<", "backup/sub", "pool/a", "backup/exact", "pool/c", "backup/c-exact"));
    assertMaps(m, source, target);
  }

  @Test
  void exactOmissionBeatsSubtreeMapping() {
    DatasetMapping m = DatasetMapping.of(rules("zroot<", "t", "zroot/a", "!"));
    assertThat(m.map(DatasetPath.of("zroot/a"))).isEmpty();
    assertThat(m.map(DatasetPath.of("zroot/a/b"))).contains(DatasetPath.of("t/a/b"));
  }

  @Test
  void asFilterSelectsExactlyTheMappedDatasets() {
    DatasetFilter f = BARE.asFilter();
    assertThat(f.matches(DatasetPath.of("anything"))).isTrue();
    DatasetFilter local = LOCAL_JOB.asFilter();
    for (String d : List.of("zroot", "zroot/usr", "zroot/tmp", "zroot/tmp/x", "storage", "zx")) {
      DatasetPath p = DatasetPath.of(d);
      assertThat(local.matches(p)).as(d).isEqualTo(LOCAL_JOB.map(p).isPresent());
    }
    assertThat(local.decide(DatasetPath.of("zroot/tmp/x")).pattern()).contains("zroot/tmp<");
  }

  @Test
  void decideExplainsTheTarget() {
    assertThat(BARE.decide(DatasetPath.of("zroot/var/db/x")))
        .isEqualTo(
            new Decision(
                DatasetPath.of("zroot/var/db/x"),
                Optional.of("zroot/var/db<"),
                true,
                Optional.of(DatasetPath.of("storage/db_replication/app-srv/x"))));
    assertThat(LOCAL_JOB.decide(DatasetPath.of("zroot/usr")).describe())
        .isEqualTo("zroot/usr: selected by 'zroot<' -> storage/backups/zroot/usr");
    assertThat(LOCAL_JOB.decide(DatasetPath.of("zroot/tmp")).describe())
        .isEqualTo("zroot/tmp: not selected (excluded by 'zroot/tmp<')");
    assertThat(LOCAL_JOB.decide(DatasetPath.of("other")).describe())
        .isEqualTo("other: not selected (no pattern matches)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "storage/", "storage//x", "a@b", "/abs", "1pool"})
  void invalidTargetsAreRejectedQuotingPatternAndValue(String target) {
    assertThatThrownBy(() -> DatasetMapping.of(rules("zroot<", target)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "invalid target '" + target + "' for filesystem pattern 'zroot<': expected");
  }

  @Test
  void falseIsATargetNotAnExclusion() {
    // "false" is a valid pool name; only "!" omits in a mapping.
    assertThat(DatasetMapping.of(rules("z<", "false")).map(DatasetPath.of("z/a")))
        .contains(DatasetPath.of("false/a"));
  }

  @Test
  void malformedAndDuplicatePatternsAreRejected() {
    assertThatThrownBy(() -> DatasetMapping.of(rules("zroot<<", "t")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("invalid filesystem pattern 'zroot<<': '<' may appear only once");
    assertThatThrownBy(
            () -> DatasetMapping.ofEntries(List.of(Map.entry("<", "a"), Map.entry("<", "b"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("invalid filesystem pattern '<': duplicate pattern");
  }

  @Test
  void targetLongerThanZfsAllowsIsReportedWhenMapping() {
    DatasetMapping m = DatasetMapping.of(rules("<", "t" + "/x".repeat(120)));
    DatasetPath longSource = DatasetPath.of("s" + "/y".repeat(10));
    assertThatThrownBy(() -> m.map(longSource))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("limit is 255");
  }

  private static void assertMaps(DatasetMapping m, String source, String target) {
    Optional<DatasetPath> expected =
        target.equals("-") ? Optional.empty() : Optional.of(DatasetPath.of(target));
    assertThat(m.map(DatasetPath.of(source))).as(source).isEqualTo(expected);
  }

  @Test
  void reachIsTheTopmostSourcesAndTargetsOrEveryPool() {
    assertThat(LOCAL_JOB.reach())
        .contains(
            java.util.Set.of(DatasetPath.of("zroot"), DatasetPath.of("storage/backups/zroot")));
    assertThat(BARE.reach()).isEmpty();
    DatasetMapping nested =
        DatasetMapping.of(
            rules(
                "pool/a<", "pool/b",
                "pool/a/x", "pool/b/y",
                "pool/c<", "!"));
    assertThat(nested.reach())
        .contains(java.util.Set.of(DatasetPath.of("pool/a"), DatasetPath.of("pool/b")));
  }
}
