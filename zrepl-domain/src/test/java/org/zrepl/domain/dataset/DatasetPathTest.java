package org.zrepl.domain.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DatasetPathTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "zroot",
        "zroot/var/db",
        "Pool",
        "p_1-2:3.4/with space/x",
        "a/.hidden/..x/x..",
        "a/1/-/_/:",
      })
  void validNames(String name) {
    DatasetPath p = DatasetPath.of(name);
    assertThat(p.toString()).isEqualTo(name);
    assertThat(DatasetPath.isValid(name)).isTrue();
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "''           | dataset path must not be empty",
        "/            | dataset path '/' has an empty component",
        "/zroot       | dataset path '/zroot' has an empty component",
        "zroot/       | dataset path 'zroot/' has an empty component",
        "zroot//a     | dataset path 'zroot//a' has an empty component",
        "zroot/./a    | dataset path 'zroot/./a' has a component '.'",
        "zroot/..     | dataset path 'zroot/..' has a component '..'",
        "zroot@snap   | dataset path 'zroot@snap' contains invalid character '@' at component"
            + " 'zroot@snap'",
        "zroot/a#bm   | dataset path 'zroot/a#bm' contains invalid character '#' at component"
            + " 'a#bm'",
        "zroot/a%b    | dataset path 'zroot/a%b' contains invalid character '%' at component 'a%b'",
        "zroot/ä      | dataset path 'zroot/ä' contains invalid character 'ä' at component 'ä'",
        "1pool        | pool name must start with a letter, got '1pool'",
        "_pool/a      | pool name must start with a letter, got '_pool/a'",
        ".pool        | pool name must start with a letter, got '.pool'",
      })
  void invalidNames(String name, String message) {
    assertThatThrownBy(() -> DatasetPath.of(name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
    assertThat(DatasetPath.isValid(name)).isFalse();
  }

  @Test
  void nullIsInvalid() {
    assertThat(DatasetPath.isValid(null)).isFalse();
    assertThatThrownBy(() -> new DatasetPath(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("dataset path must have at least one component");
  }

  @Test
  void lengthLimitIs255Characters() {
    String ok = "p/" + "x".repeat(DatasetPath.MAX_LENGTH - 2);
    assertThat(DatasetPath.of(ok).toString()).hasSize(255);
    assertThatThrownBy(() -> DatasetPath.of(ok + "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("dataset path is 256 characters long, limit is 255");
  }

  @Test
  void recordCopiesItsComponents() {
    List<String> c = new ArrayList<>(List.of("a", "b"));
    DatasetPath p = new DatasetPath(c);
    c.add("c");
    assertThat(p).isEqualTo(DatasetPath.of("a/b"));
  }

  @Test
  void accessors() {
    DatasetPath p = DatasetPath.of("zroot/var/db");
    assertThat(p.length()).isEqualTo(3);
    assertThat(p.pool()).isEqualTo("zroot");
    assertThat(p.leaf()).isEqualTo("db");
    assertThat(p.isRoot()).isFalse();
    assertThat(DatasetPath.of("zroot").isRoot()).isTrue();
  }

  @Test
  void parent() {
    assertThat(DatasetPath.of("zroot/var/db").parent()).isEqualTo(DatasetPath.of("zroot/var"));
    assertThat(DatasetPath.of("zroot/var").parent()).isEqualTo(DatasetPath.of("zroot"));
    assertThatThrownBy(() -> DatasetPath.of("zroot").parent())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("pool root 'zroot' has no parent");
  }

  @Test
  void childAndAppend() {
    DatasetPath p = DatasetPath.of("zroot");
    assertThat(p.child("var")).isEqualTo(DatasetPath.of("zroot/var"));
    assertThat(p.child("var/db")).isEqualTo(DatasetPath.of("zroot/var/db"));
    assertThat(p.append(List.of())).isEqualTo(p);
    assertThat(p.append(List.of("a", "b"))).isEqualTo(DatasetPath.of("zroot/a/b"));
    assertThatThrownBy(() -> p.child(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("dataset path 'zroot/' has an empty component");
    assertThatThrownBy(() -> p.child("a/"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("dataset path 'zroot/a/' has an empty component");
    assertThatThrownBy(() -> p.child("a@b")).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest(name = "{0} hasPrefix {1} = {2}")
  @CsvSource({
    "zroot/var/db, zroot, true",
    "zroot/var/db, zroot/var, true",
    "zroot/var/db, zroot/var/db, true",
    "zroot/var, zroot/var/db, false",
    "zroot/variable, zroot/var, false",
    "zrootx/var, zroot, false",
    "other/zroot, zroot, false",
  })
  void hasPrefixIsComponentWise(String path, String prefix, boolean expected) {
    assertThat(DatasetPath.of(path).hasPrefix(DatasetPath.of(prefix))).isEqualTo(expected);
  }

  @Test
  void trimPrefix() {
    DatasetPath p = DatasetPath.of("zroot/var/db");
    assertThat(p.trimPrefix(DatasetPath.of("zroot"))).containsExactly("var", "db");
    assertThat(p.trimPrefix(p)).isEmpty();
    assertThatThrownBy(() -> p.trimPrefix(DatasetPath.of("zroot/va")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("'zroot/va' is not a prefix of 'zroot/var/db'");
  }

  @Test
  void ancestorsFromTheRootDown() {
    assertThat(DatasetPath.of("a/b/c").ancestors())
        .containsExactly(DatasetPath.of("a"), DatasetPath.of("a/b"));
    assertThat(DatasetPath.of("a").ancestors()).isEmpty();
  }

  @Test
  void orderIsComponentWiseSoChildrenFollowTheirParent() {
    List<DatasetPath> sorted =
        new ArrayList<>(
            List.of(
                DatasetPath.of("a/b"),
                DatasetPath.of("a-b"),
                DatasetPath.of("a"),
                DatasetPath.of("a/b/c")));
    sorted.sort(null);
    // Plain string order would put "a-b" between "a" and "a/b" ('-' < '/').
    assertThat(sorted)
        .containsExactly(
            DatasetPath.of("a"),
            DatasetPath.of("a/b"),
            DatasetPath.of("a/b/c"),
            DatasetPath.of("a-b"));
  }

  @Test
  void checkComponent() {
    DatasetPath.checkComponent("job-1");
    assertThatThrownBy(() -> DatasetPath.checkComponent("a/b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'/'");
    assertThatThrownBy(() -> DatasetPath.checkComponent(""))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DatasetPath.checkComponent(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("dataset path component must not be null");
  }
}
