package org.zrepl.domain.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CursorRecordTest {

  @Test
  void formatsSortedSixteenHexDigitEntriesThatParseBack() {
    Map<String, Long> entries = Map.of("push_b", 0xffL, "local_a", -1L, "src_C_alice", 42L);
    String value = CursorRecord.format(entries);
    assertThat(value)
        .isEqualTo("local_a=ffffffffffffffff push_b=00000000000000ff src_C_alice=000000000000002a");
    assertThat(CursorRecord.parse(value)).isEqualTo(entries);
  }

  @Test
  void entriesEditedByHandAreLeftOut() {
    assertThat(CursorRecord.parse("  a=1 b= =2 c=xyz  d=00000000000000ff "))
        .containsOnly(Map.entry("a", 1L), Map.entry("d", 255L));
    assertThat(CursorRecord.format(Map.of())).isEmpty();
  }
}
