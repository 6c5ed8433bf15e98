package org.zrepl.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DiagnosticTest {

  @Test
  void rendersPositionLineAndCaret() {
    Diagnostic d = new Diagnostic("zrepl.yml", 14, 9, "unknown key 'x'", "      keep_x:");

    assertThat(d.render())
        .isEqualTo("zrepl.yml:14:9: error: unknown key 'x'\n      keep_x:\n        ^");
  }

  @Test
  void caretKeepsTabsSoItLinesUp() {
    Diagnostic d = new Diagnostic("f.yml", 1, 3, "m", "\t\tx");

    assertThat(d.render()).endsWith("\n\t\tx\n\t\t^");
  }

  @Test
  void positionsAreOneBased() {
    assertThatThrownBy(() -> new Diagnostic("f", 0, 1, "m", ""))
        .hasMessageContaining("1-based, got 0:1");
  }
}
