package org.zrepl.app.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.zrepl.domain.dataset.DatasetPath;

class EndpointNamesTest {

  private final EndpointNames names = EndpointNames.forJob("backup");

  @Test
  void namesAsZreplDoes() {
    assertThat(names.cursorBookmark(0xabcL)).isEqualTo("zrepl_CURSOR_G_0000000000000abc_J_backup");
    assertThat(names.cursorBookmark(-1L)).isEqualTo("zrepl_CURSOR_G_ffffffffffffffff_J_backup");
    assertThat(names.stepHold()).isEqualTo("zrepl_STEP_J_backup");
    assertThat(names.lastReceivedHold()).isEqualTo("zrepl_last_received_J_backup");
  }

  @Test
  void recognisesOnlyItsOwnJobsCursors() {
    assertThat(names.cursorGuid("zrepl_CURSOR_G_ffffffffffffffff_J_backup")).contains(-1L);
    assertThat(names.cursorGuid("zrepl_CURSOR_G_0000000000000abc_J_other")).isEmpty();
    assertThat(names.cursorGuid("zrepl_CURSOR_G_abc_J_backup")).isEmpty();
    assertThat(names.cursorGuid("s1")).isEqualTo(Optional.empty());
  }

  @Test
  void rejectsJobNamesThatCannotBePartOfAName() {
    assertThatThrownBy(() -> EndpointNames.forJob("a/b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("job name 'a/b'");
    assertThatThrownBy(() -> EndpointNames.forJob("my job"))
        .hasMessageContaining("job name 'my job' must not contain a space");
    assertThatThrownBy(() -> EndpointNames.forJob("")).hasMessageContaining("must not be empty");
  }

  @Test
  void underRootPutsTheIdentityBetweenRootAndSourcePath() {
    ReceiverMapping m = ReceiverMapping.underRoot(DatasetPath.of("backups"), "laptop");
    assertThat(m.map(DatasetPath.of("pool/a"))).contains(DatasetPath.of("backups/laptop/pool/a"));
    assertThatThrownBy(() -> ReceiverMapping.underRoot(DatasetPath.of("b"), "x/y"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
