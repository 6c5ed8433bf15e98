package org.zrepl.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DataSizeTest {

  @ParameterizedTest
  @CsvSource({
    "23.5 MiB, 197132288",
    "10 Mb, 10000000",
    "10Mb, 10000000",
    "-1 B, -8",
    "128 KiB, 1048576",
    "1 KB, 8000",
    "1 Kb, 1000",
    "2 GiB, 17179869184",
    "1 TB, 8000000000000",
    "800 bit, 800",
    "5 B, 40",
    "0.5 B, 4",
  })
  void parsesZreplsUnits(String text, double bits) {
    assertThat(DataSize.parse(text).bits()).isEqualTo(bits);
  }

  @ParameterizedTest
  @ValueSource(strings = {"10", "MiB", "1.5 bit", "10 Mbit", "10 mb", "1 KIB", "ten B", "1 B/s"})
  void rejectsWhatZreplRejects(String text) {
    assertThatThrownBy(() -> DataSize.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + text + "'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"10 Mbit", "1 Gbit"})
  void prefixedBitUnitsGetAHint(String text) {
    assertThatThrownBy(() -> DataSize.parse(text)).hasMessageContaining("e.g. '10 Mb'");
  }

  @Property
  void toStringParsesBack(@ForAll @LongRange(min = -1, max = 1L << 40) long bytes) {
    DataSize d = DataSize.ofBytes(bytes);
    assertThat(DataSize.parse(d.toString())).isEqualTo(d);
  }

  @Property
  void bitStringsParseBack(@ForAll @LongRange(min = 0, max = 1L << 40) long bits) {
    DataSize d = new DataSize(bits);
    assertThat(DataSize.parse(d.toString())).isEqualTo(d);
  }
}
