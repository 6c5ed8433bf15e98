package org.zrepl.app.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.port.zfs.ZfsCapabilities;
import org.zrepl.zfs.fake.InMemoryZfs;

/** The per-target cursor record on a sender without bookmarks, and the per-client job ids. */
class TargetCursorsTest {

  private static final DatasetPath A = DatasetPath.of("src/a");

  private final InMemoryZfs zfs =
      new InMemoryZfs(
          ZfsCapabilities.zfsFuse(),
          Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC),
          5);

  TargetCursorsTest() {
    zfs.createPool("src");
    zfs.createFilesystem(A, Map.of(), false);
  }

  @Test
  void recordsOneEntryPerTargetAndForgetsOne() {
    TargetCursors.record(zfs, A, "to_b", 0xabcL);
    TargetCursors.record(zfs, A, "laptop_C_host 1".replace(' ', '_'), -1L);
    TargetCursors.record(zfs, A, "to_b", 0xdefL);

    assertThat(
            zfs.getProperties(A.toString(), Set.of(TargetCursors.PROPERTY))
                .get(TargetCursors.PROPERTY)
                .value())
        .isEqualTo("laptop_C_host_1=ffffffffffffffff to_b=0000000000000def");
    assertThat(TargetCursors.read(zfs, A))
        .containsOnly(Map.entry("laptop_C_host_1", -1L), Map.entry("to_b", 0xdefL));

    TargetCursors.forget(zfs, A, "laptop_C_host_1");
    TargetCursors.forget(zfs, A, "to_b");
    assertThat(TargetCursors.read(zfs, A)).isEmpty();
  }

  @Test
  void entriesThatAreNotOursProtectNothing() {
    assertThat(
            org.zrepl.domain.replication.CursorRecord.parse("a=1 b= =2 c=xyz  d=00000000000000ff"))
        .containsOnly(Map.entry("a", 1L), Map.entry("d", 255L));
  }

  @Test
  void aSourcePullerHasItsOwnJobId() {
    EndpointNames names = EndpointNames.forSourceClient("laptop", "backup host");
    assertThat(names.job()).isEqualTo("laptop_C_backup_host");
    assertThat(names.cursorBookmark(1))
        .isEqualTo("zrepl_CURSOR_G_0000000000000001_J_laptop_C_backup_host");
    assertThat(EndpointNames.forJob("laptop").ownsJobId("laptop_C_backup_host")).isTrue();
    assertThat(EndpointNames.forJob("laptop").ownsJobId("laptop2")).isFalse();
    assertThat(EndpointNames.anyCursor(names.cursorBookmark(255)))
        .contains(Map.entry("laptop_C_backup_host", 255L));
    assertThat(EndpointNames.anyCursor("zrepl_CURSORTENTATIVE_G_00000000000000ff_J_x")).isEmpty();
  }
}
