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
}
