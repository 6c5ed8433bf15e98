package org.zrepl.zfs.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.zrepl.port.zfs.Property.Source;

class ZfsGetParserTest {

  static List<String> flavours() {
    return Golden.flavours();
  }

  @ParameterizedTest
  @MethodSource("flavours")
  void parsesPropertiesWithTheirSources(String flavour) {
    List<GetRow> rows = ZfsGetParser.parse(Golden.of(flavour, "get-props").out(), true);

    assertThat(rows)
        .extracting(GetRow::property)
        .containsExactly("type", "creation", "compression", "zrepl:placeholder", "zrepl:unset");
    assertThat(rows.get(0))
        .isEqualTo(new GetRow("zgold/other", "type", "filesystem", Optional.of(Source.NONE)));
    assertThat(rows.get(1).value()).matches("\\d{10}");
    assertThat(rows.get(2).source()).contains(Source.DEFAULT);
    assertThat(rows.get(3))
        .isEqualTo(new GetRow("zgold/other", "zrepl:placeholder", "on", Optional.of(Source.LOCAL)));
    assertThat(rows.get(4).isUnset()).isTrue();
    assertThat(rows.get(3).isUnset()).isFalse();
  }

  @ParameterizedTest
  @MethodSource("flavours")
  void parsesInheritedSources(String flavour) {
    String name = flavour.equals(Golden.ZFS_FUSE) ? "list-datasets-no-t" : "list-datasets";
    List<GetRow> rows = ZfsGetParser.parse(Golden.of(flavour, name).out(), true);

    assertThat(rows)
        .filteredOn(r -> r.name().equals("zgold/src") && r.property().equals("mountpoint"))
        .singleElement()
        .satisfies(r -> assertThat(r.source()).contains(Source.INHERITED));
  }

  @ParameterizedTest
  @MethodSource("flavours")
  void parsesThreeColumnOutput(String flavour) {
    String name = flavour.equals(Golden.ZFS_FUSE) ? "list-versions-no-t" : "list-versions";
    List<GetRow> rows = ZfsGetParser.parse(Golden.of(flavour, name).out(), false);

    assertThat(rows).isNotEmpty().allSatisfy(r -> assertThat(r.source()).isEmpty());
    assertThat(rows)
        .filteredOn(r -> r.name().equals("zgold/src@s1"))
        .extracting(GetRow::property)
        .containsExactly("guid", "createtxg", "creation");
  }

  @Test
  void keepsTabsInsideValues() {
    assertThat(ZfsGetParser.parse("p/a\tzrepl:note\tx\ty\tlocal\n", true))
        .containsExactly(new GetRow("p/a", "zrepl:note", "x\ty", Optional.of(Source.LOCAL)));
    assertThat(ZfsGetParser.parse("p/a\tzrepl:note\tx\ty\n", false))
        .containsExactly(new GetRow("p/a", "zrepl:note", "x\ty", Optional.empty()));
  }

  @Test
  void keepsEmptyValues() {
    assertThat(ZfsGetParser.parse("p/a\tzrepl:empty\t\tlocal\n", true).get(0).value()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({
    "local, LOCAL",
    "default, DEFAULT",
    "-, NONE",
    "received, RECEIVED",
    "temporary, TEMPORARY",
    "inherited from pool/a b, INHERITED"
  })
  void parsesEverySource(String text, Source expected) {
    assertThat(ZfsGetParser.parseSource(text)).isEqualTo(expected);
  }

  @Test
  void rejectsUnknownSources() {
    assertThatThrownBy(() -> ZfsGetParser.parseSource("somewhere"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown property source 'somewhere'");
  }

  @Test
  void rejectsShortLinesNamingThem() {
    assertThatThrownBy(() -> ZfsGetParser.parse("p/a\ttype\tfilesystem\n\np/b\ttype\n", false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("zfs get output line 3 has fewer than 3 tab-separated columns: 'p/b\ttype'");
    assertThatThrownBy(() -> ZfsGetParser.parse("p/a\ttype\tfilesystem\n", true))
        .hasMessageContaining("fewer than 4");
  }
}
