package org.zrepl.domain.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;

class DatasetPatternTest {

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "a<b      | invalid filesystem pattern 'a<b': '<' may only end a pattern",
        "<a       | invalid filesystem pattern '<a': '<' may only end a pattern",
        "a/<b     | invalid filesystem pattern 'a/<b': '<' may only end a pattern",
        "a<<      | invalid filesystem pattern 'a<<': '<' may appear only once",
        "<<       | invalid filesystem pattern '<<': '<' may appear only once",
        "a<b<     | invalid filesystem pattern 'a<b<': '<' may appear only once",
        "a//b     | invalid filesystem pattern 'a//b': dataset path 'a//b' has an empty component",
        "a/       | invalid filesystem pattern 'a/': dataset path 'a/' has an empty component",
        "a/<      | invalid filesystem pattern 'a/<': dataset path 'a/' has an empty component",
        "/a       | invalid filesystem pattern '/a': dataset path '/a' has an empty component",
        "a@snap   | invalid filesystem pattern 'a@snap': dataset path 'a@snap' contains invalid"
            + " character '@' at component 'a@snap'",
        "a/b#c<   | invalid filesystem pattern 'a/b#c<': dataset path 'a/b#c' contains invalid"
            + " character '#' at component 'b#c'",
        "a/*      | invalid filesystem pattern 'a/*': dataset path 'a/*' contains invalid"
            + " character '*' at component '*'",
        "1pool<   | invalid filesystem pattern '1pool<': pool name must start with a letter, got"
            + " '1pool'",
        "a/../b   | invalid filesystem pattern 'a/../b': dataset path 'a/../b' has a component '..'",
      })
  void malformedPatternsAreRejectedQuotingThePattern(String pattern, String message) {
    assertThatThrownBy(() -> DatasetPattern.parse(pattern))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @ParameterizedTest
  @NullAndEmptySource
  void emptyOrMissingPatternIsRejected(String pattern) {
    assertThatThrownBy(() -> DatasetPattern.parse(pattern))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("invalid filesystem pattern '': must not be empty");
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource({"<, '', true, 0", "zroot<, zroot, true, 1", "zroot/a, zroot/a, false, 2"})
  void wellFormedPatterns(String text, String path, boolean subtree, int depth) {
    DatasetPattern p = DatasetPattern.parse(text);
    assertThat(p.text()).isEqualTo(text);
    assertThat(p.path()).isEqualTo(path.isEmpty() ? Optional.empty() : Optional.of(path(path)));
    assertThat(p.subtree()).isEqualTo(subtree);
    assertThat(p.depth()).isEqualTo(depth);
  }

  @ParameterizedTest(name = "{0} on {1}")
  @CsvSource({
    "<, zroot, true, false, zroot",
    "<, zroot/a/b, true, false, zroot/a/b",
    "zroot<, zroot, true, false, ''",
    "zroot<, zroot/a/b, true, false, a/b",
    "zroot<, zrootx, false, false, -",
    "zroot/a<, zroot, false, false, -",
    "zroot/a, zroot/a, false, true, ''",
    "zroot/a, zroot/a/b, false, false, -",
  })
  void matchingAndRemainder(
      String text, String dataset, boolean subtree, boolean exact, String remainder) {
    DatasetPattern p = DatasetPattern.parse(text);
    DatasetPath d = path(dataset);
    assertThat(p.matchesSubtree(d)).isEqualTo(subtree);
    assertThat(p.matchesExactly(d)).isEqualTo(exact);
    if (subtree || exact) {
      assertThat(p.remainder(d))
          .isEqualTo(remainder.isEmpty() ? List.of() : List.of(remainder.split("/")));
    }
  }

  private static DatasetPath path(String s) {
    return DatasetPath.of(s);
  }
}
