package org.zrepl.zfs.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HoldsParserTest {

  @Test
  void parsesTagsOfRealOutput() {
    assertThat(HoldsParser.tags(Golden.of(Golden.OPENZFS_21, "holds").out()))
        .containsExactlyInAnyOrder("zrepl_a", "zrepl_b");
  }

  @Test
  void noHoldsIsEmpty() {
    Golden none = Golden.of(Golden.OPENZFS_21, "holds-none");
    assertThat(none.exit()).isZero();
    assertThat(HoldsParser.tags(none.out())).isEmpty();
  }

  @Test
  void rejectsLinesWithoutTag() {
    assertThatThrownBy(() -> HoldsParser.tags("p/a@s\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("zfs holds output line 1 has no tag column: 'p/a@s'");
  }

  @Test
  void parsesTagsOfManySnapshotsPerSnapshot() {
    String out =
        """
        p/a@s1\tzrepl_b\tWed Nov 25 02:14 2026
        p/a@s1\tzrepl_a\tWed Nov 25 02:14 2026
        p/a@s3\tzrepl_a\tWed Nov 25 02:15 2026
        """;
    assertThat(HoldsParser.bySnapshot("p/a", java.util.List.of("s1", "s2", "s3"), out))
        .containsOnly(
            java.util.Map.entry("s1", java.util.Set.of("zrepl_a", "zrepl_b")),
            java.util.Map.entry("s2", java.util.Set.of()),
            java.util.Map.entry("s3", java.util.Set.of("zrepl_a")));
  }

  @Test
  void refusesALineOfASnapshotNotAskedFor() {
    assertThatThrownBy(
            () -> HoldsParser.bySnapshot("p/a", java.util.List.of("s1"), "p/b@s1\tt\tx\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("line 1 is not 'fs@snapshot<tab>tag'");
  }
}
