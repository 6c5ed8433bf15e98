package org.zrepl.app.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.port.zfs.Property;

class InspectPlaceholdersTest {

  @ParameterizedTest
  @CsvSource({
    "on, LOCAL, true",
    "off, LOCAL, false",
    "on, INHERITED, false",
    "on, RECEIVED, false",
    "ON, LOCAL, false",
  })
  void onlyALocallySetOnMakesAPlaceholder(String value, Property.Source source, boolean expected) {
    InspectPlaceholders.State s =
        InspectPlaceholders.State.of(
            DatasetPath.of("pool/a"), Optional.of(new Property(value, source)));

    assertThat(s.placeholder()).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"pool/a"})
  void anUnsetPropertyIsNoPlaceholder(String dataset) {
    assertThat(
            InspectPlaceholders.State.of(DatasetPath.of(dataset), Optional.empty()).placeholder())
        .isFalse();
  }
}
