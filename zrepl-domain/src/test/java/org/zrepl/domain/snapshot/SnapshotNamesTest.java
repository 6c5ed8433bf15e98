package org.zrepl.domain.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SnapshotNamesTest {

  @ParameterizedTest
  @ValueSource(
      strings = {"zrepl_20380119_031407_000", "a", "2024-05-14T23:16:23.000_0200", "a b:c.d-e"})
  void acceptsZfsNameCharacters(String name) {
    assertThat(SnapshotNames.isValid(name)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"a@b", "a#b", "a/b", "a+b", "ä", "tab\there", "x%"})
  void rejectsOtherCharacters(String name) {
    assertThat(SnapshotNames.isValid(name)).isFalse();
    assertThatThrownBy(() -> SnapshotNames.check(name))
        .hasMessageStartingWith("snapshot name '" + name + "' contains invalid character");
  }

  @Test
  void rejectsEmptyAndOverlongNames() {
    assertThatThrownBy(() -> SnapshotNames.check("")).hasMessage("snapshot name must not be empty");
    assertThat(SnapshotNames.isValid("x".repeat(255))).isTrue();
    assertThatThrownBy(() -> SnapshotNames.check("x".repeat(256)))
        .hasMessageEndingWith("is 256 characters long, limit is 255");
  }
}
