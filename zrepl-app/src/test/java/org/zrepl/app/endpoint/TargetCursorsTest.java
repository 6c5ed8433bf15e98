package org.zrepl.app.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.endpoint.EndpointException;
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
  void aRunsCursorsAreWrittenByNameWithOneZfsSetPerDistinctValue() {
    DatasetPath b = DatasetPath.of("src/b");
    DatasetPath c = DatasetPath.of("src/a/c");
    zfs.createFilesystem(b, Map.of(), false);
    zfs.createFilesystem(c, Map.of(), false);
    zfs.snapshot(java.util.List.of(A, b, c), "s1");
    TargetCursors.record(zfs, c, "other", versions(c).get(0).guid()); // another job's entry
    int sets = zfs.processesStarted("set");

    Map<DatasetPath, FilesystemVersion> run = new java.util.TreeMap<>();
    for (DatasetPath fs : java.util.List.of(A, b, c)) {
      run.put(fs, versions(fs).get(0));
    }
    TargetCursors.recordAll(zfs, "p", run);

    assertThat(value(A)).isEqualTo("p=@s1");
    assertThat(value(b)).isEqualTo("p=@s1");
    assertThat(value(c)).isEqualTo(String.format("other=%016x p=@s1", versions(c).get(0).guid()));
    assertThat(zfs.processesStarted("set") - sets)
        .as("one zfs set for A and b (same value), one for c")
        .isEqualTo(2);
    assertThat(TargetCursors.read(zfs, b)).containsOnly(Map.entry("p", versions(b).get(0).guid()));

    // the same again changes nothing and writes nothing
    TargetCursors.recordAll(zfs, "p", run);
    assertThat(zfs.processesStarted("set") - sets).isEqualTo(2);
    // a destroyed snapshot named by name protects nothing
    zfs.destroySnapshots(b, java.util.List.of("s1"));
    assertThat(TargetCursors.read(zfs, b)).isEmpty();
  }

  @Test
  void anEntryAnotherJobWroteAfterThisInvocationsListingIsKept() {
    zfs.snapshot(java.util.List.of(A), "s1");
    org.zrepl.app.replication.ListingCache cache =
        new org.zrepl.app.replication.ListingCache(
            zfs, caps -> Set.of(TargetCursors.PROPERTY), Set.of(DatasetPath.of("src")));
    try (var session = cache.open()) {
      cache.listDatasets(java.util.List.of(), Set.of(TargetCursors.PROPERTY)); // the invocation's
      TargetCursors.record(zfs, A, "other", 7); // another job, meanwhile, past this cache

      TargetCursors.recordAll(cache, "p", Map.of(A, versions(A).get(0)));
      TargetCursors.record(cache, A, "q", 9);
    }
    assertThat(value(A)).isEqualTo("other=0000000000000007 p=@s1 q=0000000000000009");
  }

  @Test
  void aFilesystemWhoseCursorCannotBeWrittenIsNamedAndTheOthersAreWritten() {
    DatasetPath b = DatasetPath.of("src/b");
    zfs.createFilesystem(b, Map.of(), false);
    zfs.snapshot(java.util.List.of(A, b), "s1");
    Map<DatasetPath, FilesystemVersion> run = Map.of(A, versions(A).get(0), b, versions(b).get(0));
    zfs.destroyDataset(b, true); // gone between its step and the run's end

    assertThatThrownBy(() -> TargetCursors.recordAll(zfs, "p", run))
        .isInstanceOf(EndpointException.class)
        .hasMessageContaining("recording p's cursors (zrepl:cursors) failed on 1 of 2")
        .hasMessageContaining("src/b");
    assertThat(value(A)).isEqualTo("p=@s1");
  }

  @Test
  void aSnapshotNameTheRecordCannotHoldIsRecordedByGuid() {
    zfs.snapshot(java.util.List.of(A), "with space");
    FilesystemVersion v = versions(A).get(0);
    TargetCursors.recordAll(zfs, "p", Map.of(A, v));
    assertThat(value(A)).isEqualTo(String.format("p=%016x", v.guid()));
  }

  private java.util.List<FilesystemVersion> versions(DatasetPath fs) {
    return zfs.listVersions(java.util.List.of(fs)).get(fs);
  }

  private String value(DatasetPath fs) {
    return zfs.getProperties(fs.toString(), Set.of(TargetCursors.PROPERTY))
        .get(TargetCursors.PROPERTY)
        .value();
  }

  @Test
  void entriesThatAreNotOursProtectNothing() {
    assertThat(
            org.zrepl.domain.replication.CursorRecord.parse(
                "a=1 b= =2 c=xyz  d=00000000000000ff", java.util.List.of()))
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
