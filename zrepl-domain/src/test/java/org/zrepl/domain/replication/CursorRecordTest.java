package org.zrepl.domain.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.zrepl.domain.replication.CursorRecord.Entry;
import org.zrepl.domain.version.FilesystemVersion;

class CursorRecordTest {

  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void formatsSortedSixteenHexDigitEntriesThatParseBack() {
    Map<String, Entry> entries =
        Map.of(
            "push_b", Entry.ofGuid(0xffL),
            "local_a", Entry.ofGuid(-1L),
            "src_C_alice", Entry.ofGuid(42L));
    String value = CursorRecord.format(entries);
    assertThat(value)
        .isEqualTo("local_a=ffffffffffffffff push_b=00000000000000ff src_C_alice=000000000000002a");
    assertThat(CursorRecord.entries(value)).isEqualTo(entries);
    assertThat(CursorRecord.parse(value, List.of()))
        .containsOnly(
            Map.entry("local_a", -1L), Map.entry("push_b", 255L), Map.entry("src_C_alice", 42L));
  }

  @Test
  void anEntryByNameStandsForTheGuidOfTheSnapshotWithThatNameAndProtectsNothingWithoutIt() {
    String value =
        CursorRecord.format(
            Map.of(
                "a",
                Entry.ofSnapshot("zrepl_2026"),
                "b",
                Entry.ofGuid(7),
                "c",
                Entry.ofSnapshot("gone")));
    assertThat(value).isEqualTo("a=@zrepl_2026 b=0000000000000007 c=@gone");
    assertThat(CursorRecord.entries(value))
        .containsOnly(
            Map.entry("a", Entry.ofSnapshot("zrepl_2026")),
            Map.entry("b", Entry.ofGuid(7)),
            Map.entry("c", Entry.ofSnapshot("gone")));
    List<FilesystemVersion> versions =
        List.of(
            FilesystemVersion.bookmark("zrepl_2026", 99, 1, T), // a bookmark is not the snapshot
            FilesystemVersion.snapshot("zrepl_2026", 12, 2, T));
    assertThat(CursorRecord.parse(value, versions))
        .containsOnly(Map.entry("a", 12L), Map.entry("b", 7L));
  }

  @Test
  void entriesEditedByHandAreLeftOut() {
    assertThat(CursorRecord.entries("  a=1 b= =2 c=xyz  d=00000000000000ff e=@ "))
        .containsOnly(Map.entry("a", Entry.ofGuid(1L)), Map.entry("d", Entry.ofGuid(255L)));
    assertThat(CursorRecord.format(Map.of())).isEmpty();
  }

  @Test
  void aSnapshotNameTheRecordCannotHoldIsRefused() {
    assertThat(Entry.canName("with space")).isFalse();
    assertThat(Entry.canName("")).isFalse();
    assertThat(Entry.canName("zrepl_20260101_000000_000")).isTrue();
    assertThatThrownBy(() -> Entry.ofSnapshot("with space"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'with space'");
  }
}
