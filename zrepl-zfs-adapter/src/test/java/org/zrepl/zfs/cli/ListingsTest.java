package org.zrepl.zfs.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.zfs.DatasetInfo;
import org.zrepl.port.zfs.DatasetType;
import org.zrepl.port.zfs.Property;

class ListingsTest {

  private static final DatasetPath SRC = DatasetPath.of("zgold/src");
  private static final DatasetPath CHILD = DatasetPath.of("zgold/src/child");
  private static final DatasetPath OTHER = DatasetPath.of("zgold/other");

  static List<String> flavours() {
    return Golden.flavours();
  }

  private static boolean fuse(String flavour) {
    return flavour.equals(Golden.ZFS_FUSE);
  }

  @ParameterizedTest
  @MethodSource("flavours")
  void listsFilesystemsWithoutSnapshots(String flavour) {
    String name = fuse(flavour) ? "list-datasets-no-t" : "list-datasets";
    List<DatasetInfo> ds =
        Listings.datasets(
            ZfsGetParser.parse(Golden.of(flavour, name).out(), true),
            Set.of("zrepl:placeholder", "mountpoint"));

    assertThat(ds)
        .extracting(d -> d.path().toString())
        .containsExactly(
            "zgold", "zgold/other", "zgold/src", "zgold/src/child", "zgold/src/child/grandchild");
    assertThat(ds).allSatisfy(d -> assertThat(d.type()).isEqualTo(DatasetType.FILESYSTEM));
    DatasetInfo other = ds.get(1);
    assertThat(other.property("zrepl:placeholder")).contains(Property.local("on"));
    assertThat(other.properties().keySet())
        .containsExactlyInAnyOrder("zrepl:placeholder", "mountpoint");
    assertThat(ds.get(2).property("zrepl:placeholder")).isEmpty();
    assertThat(ds.get(0).property("mountpoint").orElseThrow().source())
        .isEqualTo(Property.Source.LOCAL);
  }

  @ParameterizedTest
  @MethodSource("flavours")
  void overlappingRootsYieldEachDatasetOnce(String flavour) {
    List<DatasetInfo> ds =
        Listings.datasets(
            ZfsGetParser.parse(Golden.of(flavour, "list-datasets-roots").out(), true), Set.of());

    assertThat(ds)
        .extracting(d -> d.path().toString())
        .containsExactly(
            "zgold/other", "zgold/src", "zgold/src/child", "zgold/src/child/grandchild");
    assertThat(ds).allSatisfy(d -> assertThat(d.properties()).isEmpty());
  }

  @ParameterizedTest
  @MethodSource("flavours")
  void listsVersionsOfEachRequestedFilesystemOnly(String flavour) {
    String name = fuse(flavour) ? "list-versions-no-t" : "list-versions";
    Map<DatasetPath, List<FilesystemVersion>> v =
        Listings.versions(
            ZfsGetParser.parse(Golden.of(flavour, name).out(), false), List.of(SRC, CHILD, OTHER));

    assertThat(v).containsOnlyKeys(SRC, CHILD, OTHER);
    List<String> expectedSrc =
        fuse(flavour) ? List.of("@s1", "@s2") : List.of("@s1", "#b1", "@s2", "@m1");
    assertThat(v.get(SRC)).extracting(FilesystemVersion::relativeName).isEqualTo(expectedSrc);
    assertThat(v.get(CHILD)).extracting(FilesystemVersion::relativeName).containsExactly("@s1");
    assertThat(v.get(OTHER))
        .extracting(FilesystemVersion::relativeName)
        .isEqualTo(fuse(flavour) ? List.of() : List.of("@m1"));
    FilesystemVersion s1 = v.get(SRC).get(0);
    assertThat(s1.createTxg()).isPositive();
    assertThat(s1.creation()).isAfter(Instant.parse("2020-01-01T00:00:00Z"));
    if (!fuse(flavour)) {
      FilesystemVersion b1 = v.get(SRC).get(1);
      assertThat(b1.guid()).isEqualTo(s1.guid());
      assertThat(b1.createTxg()).isEqualTo(s1.createTxg());
    }
  }

  @ParameterizedTest
  @MethodSource("flavours")
  void receivedSnapshotsKeepTheSendersGuid(String flavour) {
    DatasetPath dst = DatasetPath.of("zgold/dst");
    Map<DatasetPath, List<FilesystemVersion>> v =
        Listings.versions(
            ZfsGetParser.parse(Golden.of(flavour, "list-versions-dst").out(), false),
            List.of(SRC, dst));

    FilesystemVersion srcS1 = v.get(SRC).get(0);
    FilesystemVersion dstS1 = v.get(dst).get(0);
    assertThat(dstS1.name()).isEqualTo("s1");
    assertThat(dstS1.guid()).isEqualTo(srcS1.guid());
    assertThat(dstS1.createTxg()).isNotEqualTo(srcS1.createTxg());
  }

  @Test
  void parsesGuidsAboveLongMaxValue() {
    String out = "p/a@x\tguid\t18446744073709551615\np/a@x\tcreatetxg\t5\np/a@x\tcreation\t1\n";
    FilesystemVersion x =
        Listings.versions(ZfsGetParser.parse(out, false), List.of(DatasetPath.of("p/a")))
            .get(DatasetPath.of("p/a"))
            .get(0);
    assertThat(x.guidString()).isEqualTo("18446744073709551615");
  }

  @Test
  void ordersByTxgThenSnapshotsBeforeBookmarksThenName() {
    String out =
        String.join(
            "",
            row("p/a#b", 7),
            row("p/a@z", 7),
            row("p/a@y", 7),
            row("p/a@old", 3),
            row("p/a#a", 9));
    assertThat(
            Listings.versions(ZfsGetParser.parse(out, false), List.of(DatasetPath.of("p/a")))
                .get(DatasetPath.of("p/a")))
        .extracting(FilesystemVersion::relativeName)
        .containsExactly("@old", "@y", "@z", "#b", "#a");
  }

  @Test
  void namesTheVersionWithAMissingProperty() {
    String out = "p/a@x\tguid\t1\np/a@x\tcreation\t1\n";
    assertThatThrownBy(
            () -> Listings.versions(ZfsGetParser.parse(out, false), List.of(DatasetPath.of("p/a"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("zfs get printed no createtxg for 'p/a@x'");
  }

  @Test
  void namesTheDatasetWithoutType() {
    assertThatThrownBy(
            () ->
                Listings.datasets(
                    ZfsGetParser.parse("p/a\tzrepl:x\ton\tlocal\n", true), Set.of("zrepl:x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("zfs get printed no type for dataset 'p/a'");
  }

  private static String row(String name, long txg) {
    return name + "\tguid\t1\n" + name + "\tcreatetxg\t" + txg + "\n" + name + "\tcreation\t1\n";
  }
}
