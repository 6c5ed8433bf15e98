package org.zrepl.zfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.zfs.DatasetBusyException;
import org.zrepl.port.zfs.DatasetExistsException;
import org.zrepl.port.zfs.DatasetInfo;
import org.zrepl.port.zfs.DatasetNotFoundException;
import org.zrepl.port.zfs.DatasetTree;
import org.zrepl.port.zfs.DestinationModifiedException;
import org.zrepl.port.zfs.Property;
import org.zrepl.port.zfs.Property.Source;
import org.zrepl.port.zfs.ReceiveOptions;
import org.zrepl.port.zfs.SendFlag;
import org.zrepl.port.zfs.SendRequest;
import org.zrepl.port.zfs.SendStream;
import org.zrepl.port.zfs.UnsupportedZfsFeatureException;
import org.zrepl.port.zfs.VersionListing;
import org.zrepl.port.zfs.Zfs;
import org.zrepl.port.zfs.ZfsCapabilities.Feature;
import org.zrepl.port.zfs.ZfsException;

/**
 * The one contract of the {@link Zfs} port. Runs against the in-memory fake for every capability
 * preset and against real ZFS; cases that need a capability skip (JUnit assumption) where {@link
 * Zfs#capabilities()} lacks it, on both sides alike. A few cases expect what the capability implies
 * instead of skipping (atomic multi-snapshot, batch destroy).
 *
 * <p>An implementation subclasses this and returns a {@link ZfsFixture} (see {@code
 * InMemoryZfsContractTest} and {@link ZfsFusePoolFixture}). The suite stays in one file, longer
 * than the house limit, so that each implementation has exactly one class to extend; the sections
 * follow the port's methods.
 *
 * <p>Facts checked by hand on zfs-fuse 0.7 that shaped the expectations: an incremental onto a
 * target with a newer but unchanged snapshot is accepted (ZFS checks for changes since the base);
 * {@code zfs recv} there knows no {@code -u}, so most cases receive without it; {@code zfs holds}
 * fails there ("pyzfs.py not found"), so its preset and probe report no holds, and the hold/release
 * cases that do not list holds are separate from {@link #holdsListsTagsUntilReleased}.
 */
public abstract class ZfsContractTest {

  /** A user property; the suite never sets native properties that differ between ZFS versions. */
  private static final String PROP = "zrepl-test:p";

  /** {@code zfs recv} without {@code -u}: zfs-fuse's recv knows no {@code -u}. */
  private static final ReceiveOptions PLAIN =
      new ReceiveOptions(false, false, false, Map.of(), Set.of());

  private ZfsFixture fx;
  private Zfs zfs;
  private DatasetPath root;

  /** Called before every test; may return the same fixture each time. */
  protected abstract ZfsFixture fixture();

  @BeforeEach
  final void setUpContract() {
    fx = fixture();
    zfs = fx.zfs();
    root = fx.newRoot();
  }

  // --- listDatasets -----------------------------------------------------------------------------

  @Test
  void listDatasetsReturnsRootAndDescendantsSortedByPath() {
    DatasetPath b = create("b");
    DatasetPath a = create("a");
    DatasetPath ab = create("a/b");
    snap(a, "s1");

    List<DatasetInfo> list = zfs.listDatasets(List.of(root), Set.of());

    assertThat(list).extracting(DatasetInfo::path).containsExactly(root, a, ab, b);
  }

  @Test
  void listDatasetsWithOverlappingRootsListsEachDatasetOnce() {
    DatasetPath a = create("a");
    DatasetPath ab = create("a/b");

    List<DatasetInfo> list = zfs.listDatasets(List.of(a, root, ab), Set.of());

    assertThat(list).extracting(DatasetInfo::path).containsExactly(root, a, ab);
  }

  @Test
  void listDatasetsReportsUserPropertyOnlyWhereSetOrInherited() {
    DatasetPath a = create("a");
    DatasetPath ab = create("a/b");
    DatasetPath c = create("c");
    zfs.setProperty(a, PROP, "v1");

    Map<DatasetPath, DatasetInfo> byPath = byPath(zfs.listDatasets(List.of(root), Set.of(PROP)));

    assertThat(byPath.get(a).property(PROP)).contains(Property.local("v1"));
    assertThat(byPath.get(ab).property(PROP)).contains(new Property("v1", Source.INHERITED));
    assertThat(byPath.get(c).property(PROP)).isEmpty();
    assertThat(byPath.get(root).properties()).doesNotContainKey(PROP);
  }

  @Test
  void listDatasetsWithoutRootsListsEveryPool() {
    DatasetPath a = create("a");

    List<DatasetInfo> list = zfs.listDatasets(List.of(), Set.of());

    assertThat(list)
        .extracting(DatasetInfo::path)
        .contains(DatasetPath.of(root.pool()), root, a)
        .isSorted()
        .doesNotHaveDuplicates();
  }

  @Test
  void typePropertyTellsFilesystemFromSnapshot() {
    DatasetPath a = create("a");
    snap(a, "s1");

    assertThat(zfs.getProperties(a.toString(), Set.of("type")).get("type").value())
        .isEqualTo("filesystem");
    assertThat(zfs.getProperties(a + "@s1", Set.of("type")).get("type").value())
        .isEqualTo("snapshot");
  }

  @Test
  void listDatasetsOfMissingRootThrowsNotFound() {
    DatasetPath missing = root.child("missing");

    assertThatThrownBy(() -> zfs.listDatasets(List.of(missing), Set.of()))
        .isInstanceOf(DatasetNotFoundException.class);
  }

  // --- listDatasetsWithVersions -----------------------------------------------------------------

  /**
   * Offered exactly where there are no bookmarks (zfs-fuse, whose {@code zfs get} also cannot
   * filter by type), and then the dataset listing plus each listed dataset's version listing.
   */
  @Test
  void listDatasetsWithVersionsIsTheDatasetListingWithEachDatasetsVersions() {
    DatasetPath a = create("a");
    DatasetPath ab = create("a/b");
    DatasetPath c = create("c");
    fx.write(a, "f", bytes("x".repeat(20_000)));
    snap(a, "s1");
    snap(a, "s2");
    snap(ab, "y");
    zfs.setProperty(a, PROP, "v1");
    Set<String> referenced = Set.of("referenced");

    Optional<DatasetTree> tree =
        zfs.listDatasetsWithVersions(List.of(root), Set.of(PROP), referenced);

    assertThat(tree.isPresent()).isEqualTo(!zfs.capabilities().has(Feature.BOOKMARKS));
    assumeTrue(tree.isPresent(), "this ZFS lists datasets without their snapshots");
    assertThat(tree.get().datasets()).isEqualTo(zfs.listDatasets(List.of(root), Set.of(PROP)));
    assertThat(tree.get().versions()).containsOnlyKeys(root, a, ab, c);
    assertThat(tree.get().versions())
        .isEqualTo(zfs.listVersions(List.of(root, a, ab, c), referenced));
    assertThat(tree.get().versions().get(a).versions())
        .extracting(FilesystemVersion::name)
        .containsExactly("s1", "s2");
    assertThat(
            Long.parseLong(
                tree.get().versions().get(a).snapshotProperty("s1", "referenced").get().value()))
        .isGreaterThanOrEqualTo(20_000);
    assertThatThrownBy(
            () ->
                zfs.listDatasetsWithVersions(List.of(root.child("missing")), Set.of(), referenced))
        .isInstanceOf(DatasetNotFoundException.class);
  }

  // --- listVersions -----------------------------------------------------------------------------

  @Test
  void listVersionsOfFreshFilesystemIsEmpty() {
    assertThat(zfs.listVersions(create("a"))).isEmpty();
  }

  @Test
  void listVersionsOrdersByCreateTxgNotByName() {
    DatasetPath a = create("a");
    snap(a, "c");
    snap(a, "b");
    snap(a, "a");

    List<FilesystemVersion> versions = zfs.listVersions(a);

    assertThat(versions)
        .extracting(FilesystemVersion::relativeName)
        .containsExactly("@c", "@b", "@a");
    assertThat(versions)
        .extracting(FilesystemVersion::createTxg)
        .isSorted()
        .doesNotHaveDuplicates();
    assertThat(versions).extracting(FilesystemVersion::guid).doesNotHaveDuplicates();
    assertThat(versions).allMatch(FilesystemVersion::isSnapshot);
  }

  @Test
  void listVersionsGroupsPerFilesystemAndExcludesChildren() {
    DatasetPath a = create("a");
    DatasetPath ab = create("a/b");
    DatasetPath c = create("c");
    snap(a, "x");
    snap(ab, "y");
    snap(c, "z");

    Map<DatasetPath, List<FilesystemVersion>> all = zfs.listVersions(List.of(a, ab, c));

    assertThat(all).containsOnlyKeys(a, ab, c);
    assertThat(all.get(a)).extracting(FilesystemVersion::name).containsExactly("x");
    assertThat(all.get(ab)).extracting(FilesystemVersion::name).containsExactly("y");
    assertThat(all.get(c)).extracting(FilesystemVersion::name).containsExactly("z");
  }

  @Test
  void listVersionsOfMissingFilesystemThrowsNotFound() {
    DatasetPath a = create("a");

    assertThatThrownBy(() -> zfs.listVersions(List.of(a, root.child("missing"))))
        .isInstanceOf(DatasetNotFoundException.class);
  }

  @Test
  void listVersionsWithPropertiesAddsTheFilesystemsAndEachSnapshotsOwnInOneListing() {
    DatasetPath a = create("a");
    DatasetPath ab = create("a/b");
    DatasetPath c = create("c");
    fx.write(a, "f", bytes("x".repeat(20_000)));
    snap(a, "s1");
    snap(ab, "y");
    zfs.setProperty(a, PROP, "v1");
    Set<String> props = Set.of("referenced", "mountpoint", PROP);

    Map<DatasetPath, VersionListing> all = zfs.listVersions(List.of(a, ab, c), props);

    assertThat(all).containsOnlyKeys(a, ab, c);
    assertThat(all.get(a).versions()).isEqualTo(zfs.listVersions(a));
    assertThat(all.get(ab).versions()).isEqualTo(zfs.listVersions(ab));
    assertThat(all.get(c).versions()).isEmpty();
    assertThat(all.get(a).properties())
        .containsOnlyKeys(props)
        .containsEntry(PROP, Property.local("v1"))
        .containsEntry("mountpoint", zfs.getProperties(a.toString(), props).get("mountpoint"));
    assertThat(all.get(ab).properties().get(PROP)).isEqualTo(new Property("v1", Source.INHERITED));
    assertThat(all.get(c).properties()).doesNotContainKey(PROP);
    assertThat(all.get(a).snapshotProperties()).containsOnlyKeys("s1");
    assertThat(all.get(a).snapshotProperty("s1", "referenced").map(Property::value))
        .isEqualTo(
            Optional.of(
                zfs.getProperties(a + "@s1", Set.of("referenced")).get("referenced").value()));
    assertThat(Long.parseLong(all.get(a).snapshotProperty("s1", "referenced").get().value()))
        .isGreaterThanOrEqualTo(20_000);
    assertThat(zfs.listVersions(List.of(a), Set.of()).get(a).versions())
        .isEqualTo(zfs.listVersions(a));
  }

  @Test
  void listVersionsWithPropertiesOfMissingFilesystemThrowsNotFound() {
    DatasetPath a = create("a");

    assertThatThrownBy(
            () -> zfs.listVersions(List.of(a, root.child("missing")), Set.of("referenced")))
        .isInstanceOf(DatasetNotFoundException.class);
  }

  @Test
  void existsTellsFilesystemsFromMissingOnes() {
    DatasetPath a = create("a");

    assertThat(zfs.exists(a)).isTrue();
    assertThat(zfs.exists(root)).isTrue();
    assertThat(zfs.exists(root.child("missing"))).isFalse();
    assertThat(zfs.exists(root.child("missing").child("deeper"))).isFalse();
  }

  @Test
  void versionGuidAndCreateTxgMatchSnapshotProperties() {
    DatasetPath a = create("a");
    snap(a, "s1");
    FilesystemVersion v = version(a, "@s1");

    Map<String, Property> props =
        zfs.getProperties(a + "@s1", Set.of("guid", "createtxg", "creation"));

    assertThat(props.get("guid").value()).isEqualTo(v.guidString());
    assertThat(props.get("createtxg").value()).isEqualTo(Long.toString(v.createTxg()));
    assertThat(props.get("creation").value())
        .isEqualTo(Long.toString(v.creation().getEpochSecond()));
  }

  // --- snapshot ---------------------------------------------------------------------------------

  @Test
  void snapshotOfSeveralFilesystemsCreatesOneEach() {
    DatasetPath a = create("a");
    DatasetPath b = create("b");

    zfs.snapshot(List.of(a, b), "multi");

    FilesystemVersion va = version(a, "@multi");
    FilesystemVersion vb = version(b, "@multi");
    assertThat(va.guid()).isNotEqualTo(vb.guid());
    if (zfs.capabilities().has(Feature.ATOMIC_MULTI_SNAPSHOT)) {
      assertThat(va.createTxg()).isEqualTo(vb.createTxg());
    }
  }

  @Test
  void snapshotWithExistingNameThrowsExists() {
    DatasetPath a = create("a");
    snap(a, "s1");

    assertThatThrownBy(() -> snap(a, "s1")).isInstanceOf(DatasetExistsException.class);
    assertThat(zfs.listVersions(a)).hasSize(1);
  }

  @Test
  void snapshotOfMissingFilesystemThrowsNotFound() {
    assertThatThrownBy(() -> snap(root.child("missing"), "s1"))
        .isInstanceOf(DatasetNotFoundException.class);
  }

  @Test
  void snapshotOfSeveralWithOneMissingIsAllOrNothingOnlyWhereAtomic() {
    DatasetPath a = create("a");
    DatasetPath missing = root.child("missing");

    assertThatThrownBy(() -> zfs.snapshot(List.of(a, missing), "s1"))
        .isInstanceOf(DatasetNotFoundException.class);

    if (zfs.capabilities().has(Feature.ATOMIC_MULTI_SNAPSHOT)) {
      assertThat(relativeNames(a)).isEmpty();
    } else {
      assertThat(relativeNames(a)).containsExactly("@s1");
    }
  }

  @Test
  void failuresCarryCommandLineExitCodeAndStderr() {
    DatasetPath missing = root.child("missing");

    ZfsException e =
        catchThrowableOfType(ZfsException.class, () -> zfs.destroyDataset(missing, false));

    assertThat(e.argv()).first().asString().endsWith("zfs");
    assertThat(String.join(" ", e.argv())).contains("destroy").contains(missing.toString());
    assertThat(e.exitCode()).isNotZero();
    assertThat(e.stderr()).contains(missing.toString()).contains("does not exist");
  }

  // --- destroy ----------------------------------------------------------------------------------

  @Test
  void destroySnapshotsDestroysExactlyTheNamedOnes() {
    DatasetPath a = create("a");
    snap(a, "s1");
    snap(a, "s2");
    snap(a, "s3");

    zfs.destroySnapshots(a, List.of("s1", "s3"));

    assertThat(relativeNames(a)).containsExactly("@s2");
  }

  @Test
  void destroyMissingSnapshotThrowsNotFound() {
    DatasetPath a = create("a");
    snap(a, "s1");

    assertThatThrownBy(() -> zfs.destroySnapshots(a, List.of("nope")))
        .isInstanceOf(DatasetNotFoundException.class);
    assertThat(relativeNames(a)).containsExactly("@s1");
  }

  @Test
  void heldSnapshotCannotBeDestroyed() {
    assumeTrue(zfs.capabilities().has(Feature.HOLDS));
    DatasetPath a = create("a");
    snap(a, "s1");
    zfs.hold(a, "s1", "zrepl_test");

    assertThatThrownBy(() -> zfs.destroySnapshots(a, List.of("s1")))
        .isInstanceOf(DatasetBusyException.class);
    assertThat(relativeNames(a)).containsExactly("@s1");

    zfs.release(a, "s1", "zrepl_test");
    zfs.destroySnapshots(a, List.of("s1"));
    assertThat(relativeNames(a)).isEmpty();
  }

  @Test
  void destroySnapshotsWithOneHeldIsAtomicOnlyAsBatch() {
    assumeTrue(zfs.capabilities().has(Feature.HOLDS));
    DatasetPath a = create("a");
    snap(a, "s1");
    snap(a, "s2");
    snap(a, "s3");
    zfs.hold(a, "s2", "keep");

    assertThatThrownBy(() -> zfs.destroySnapshots(a, List.of("s1", "s2", "s3")))
        .isInstanceOf(DatasetBusyException.class);

    if (zfs.capabilities().has(Feature.BATCH_DESTROY)) {
      assertThat(relativeNames(a)).containsExactly("@s1", "@s2", "@s3");
    } else {
      assertThat(relativeNames(a)).containsExactly("@s2");
    }
  }

  @Test
  void recursiveDestroyKeepsHeldSnapshot() {
    assumeTrue(zfs.capabilities().has(Feature.HOLDS));
    DatasetPath a = create("a");
    snap(a, "s1");
    zfs.hold(a, "s1", "keep");

    assertThatThrownBy(() -> zfs.destroyDataset(a, true)).isInstanceOf(DatasetBusyException.class);
    assertThat(relativeNames(a)).containsExactly("@s1");
  }

  @Test
  void destroyDatasetWithSnapshotsNeedsRecursive() {
    DatasetPath a = create("a");
    snap(a, "s1");

    assertThatThrownBy(() -> zfs.destroyDataset(a, false)).isInstanceOf(ZfsException.class);
    assertThat(paths(root)).contains(a);
  }

  @Test
  void destroyDatasetWithChildrenNeedsRecursive() {
    DatasetPath a = create("a");
    DatasetPath ab = create("a/b");

    assertThatThrownBy(() -> zfs.destroyDataset(a, false)).isInstanceOf(ZfsException.class);
    assertThat(paths(root)).contains(a, ab);
  }

  @Test
  void destroyDatasetRecursiveRemovesSubtreeOnly() {
    DatasetPath a = create("a");
    create("a/b");
    snap(a, "s1");
    DatasetPath c = create("c");

    zfs.destroyDataset(a, true);

    assertThat(paths(root)).containsExactly(root, c);
  }

  @Test
  void destroyLeafDataset() {
    DatasetPath a = create("a");

    zfs.destroyDataset(a, false);

    assertThat(paths(root)).containsExactly(root);
  }

  @Test
  void destroyMissingDatasetThrowsNotFound() {
    assertThatThrownBy(() -> zfs.destroyDataset(root.child("missing"), true))
        .isInstanceOf(DatasetNotFoundException.class);
  }

  // --- createFilesystem and properties --------------------------------------------------------

  @Test
  void createFilesystemWithoutParentsNeedsParent() {
    DatasetPath deep = root.child("x/y");

    assertThatThrownBy(() -> zfs.createFilesystem(deep, Map.of(), false))
        .isInstanceOf(DatasetNotFoundException.class);
    assertThat(paths(root)).containsExactly(root);
  }

  @Test
  void createFilesystemWithParentsCreatesAncestors() {
    DatasetPath deep = root.child("x/y/z");

    zfs.createFilesystem(deep, Map.of(), true);

    assertThat(paths(root)).containsExactly(root, root.child("x"), root.child("x/y"), deep);
  }

  @Test
  void createFilesystemWithParentsAcceptsExistingTarget() {
    DatasetPath a = create("a");

    zfs.createFilesystem(a, Map.of(), true);

    assertThat(paths(root)).containsExactly(root, a);
  }

  @Test
  void createExistingFilesystemThrowsExists() {
    DatasetPath a = create("a");

    assertThatThrownBy(() -> zfs.createFilesystem(a, Map.of(), false))
        .isInstanceOf(DatasetExistsException.class);
  }

  @Test
  void placeholderPropertyIsLocalOnDatasetAndInheritedBelow() {
    DatasetPath ph = root.child("ph");
    zfs.createFilesystem(ph, Map.of("zrepl:placeholder", "on"), false);
    DatasetPath child = create("ph/child");

    Map<DatasetPath, DatasetInfo> byPath =
        byPath(zfs.listDatasets(List.of(root), Set.of("zrepl:placeholder")));

    assertThat(byPath.get(ph).property("zrepl:placeholder")).contains(Property.local("on"));
    assertThat(byPath.get(child).property("zrepl:placeholder"))
        .contains(new Property("on", Source.INHERITED));
  }

  @Test
  void inheritPropertyRemovesLocalValue() {
    DatasetPath a = create("a");
    DatasetPath ab = create("a/b");
    zfs.setProperty(a, PROP, "parent");
    zfs.setProperty(ab, PROP, "child");

    zfs.inheritProperty(ab, PROP);
    assertThat(zfs.getProperties(ab.toString(), Set.of(PROP)))
        .containsEntry(PROP, new Property("parent", Source.INHERITED));

    zfs.inheritProperty(a, PROP);
    assertThat(zfs.getProperties(a.toString(), Set.of(PROP))).doesNotContainKey(PROP);
    assertThat(zfs.getProperties(ab.toString(), Set.of(PROP))).doesNotContainKey(PROP);
  }

  @Test
  void snapshotInheritsUserPropertyOfItsFilesystem() {
    DatasetPath a = create("a");
    zfs.setProperty(a, PROP, "v");
    snap(a, "s1");

    assertThat(zfs.getProperties(a + "@s1", Set.of(PROP)))
        .containsEntry(PROP, new Property("v", Source.INHERITED));
  }

  @Test
  void getPropertiesOfMissingDatasetOrSnapshotThrowsNotFound() {
    DatasetPath a = create("a");

    assertThatThrownBy(() -> zfs.getProperties(root + "/missing", Set.of(PROP)))
        .isInstanceOf(DatasetNotFoundException.class);
    assertThatThrownBy(() -> zfs.getProperties(a + "@missing", Set.of("guid")))
        .isInstanceOf(DatasetNotFoundException.class);
  }

  @Test
  void setPropertyOnMissingDatasetThrowsNotFound() {
    assertThatThrownBy(() -> zfs.setProperty(root.child("missing"), PROP, "v"))
        .isInstanceOf(DatasetNotFoundException.class);
  }

  @Test
  void setPropertyOnManySetsEachAndOnAMissingOneStillSetsTheOthers() {
    DatasetPath a = create("a");
    DatasetPath b = create("b");
    DatasetPath c = create("a/c");

    zfs.setProperty(List.of(a, b, c), PROP, "@s1 x=y");
    for (DatasetPath d : List.of(a, b, c)) {
      assertThat(zfs.getProperties(d.toString(), Set.of(PROP)))
          .as("on %s", d)
          .containsEntry(PROP, new Property("@s1 x=y", Source.LOCAL));
    }

    assertThatThrownBy(() -> zfs.setProperty(List.of(a, root.child("missing"), b), PROP, "w"))
        .isInstanceOf(DatasetNotFoundException.class)
        .hasMessageContaining("missing");
    assertThat(zfs.getProperties(a.toString(), Set.of(PROP)).get(PROP).value()).isEqualTo("w");
    assertThat(zfs.getProperties(b.toString(), Set.of(PROP)).get(PROP).value()).isEqualTo("w");
  }

  @Test
  void getPropertiesNowReadsEachOfManyDatasetsAndNothingBelowThem() {
    DatasetPath a = create("a");
    DatasetPath b = create("b");
    DatasetPath c = create("a/c");
    zfs.setProperty(a, PROP, "va");
    zfs.setProperty(c, PROP, "vc");

    Map<DatasetPath, Map<String, Property>> got = zfs.getPropertiesNow(List.of(a, b), Set.of(PROP));

    assertThat(got).containsOnlyKeys(a, b);
    assertThat(got.get(a)).containsExactly(Map.entry(PROP, new Property("va", Source.LOCAL)));
    assertThat(got.get(b)).isEmpty();
    assertThat(zfs.getPropertiesNow(List.of(c), Set.of(PROP)).get(c))
        .containsEntry(PROP, new Property("vc", Source.LOCAL));
    assertThatThrownBy(() -> zfs.getPropertiesNow(List.of(a, root.child("missing")), Set.of(PROP)))
        .isInstanceOf(DatasetNotFoundException.class);
  }

  // --- holds ------------------------------------------------------------------------------------

  @Test
  void holdsListsTagsUntilReleased() {
    assumeTrue(zfs.capabilities().has(Feature.HOLDS));
    DatasetPath a = create("a");
    snap(a, "s1");

    zfs.hold(a, "s1", "t1");
    zfs.hold(a, "s1", "t2");
    assertThat(zfs.holds(a, "s1")).containsExactlyInAnyOrder("t1", "t2");

    zfs.release(a, "s1", "t1");
    assertThat(zfs.holds(a, "s1")).containsExactly("t2");
  }

  @Test
  void holdsOfManySnapshotsAreListedPerSnapshotInOneCall() {
    assumeTrue(zfs.capabilities().has(Feature.HOLDS));
    DatasetPath a = create("a");
    snap(a, "s1");
    snap(a, "s2");
    snap(a, "s3");
    zfs.hold(a, "s1", "t1");
    zfs.hold(a, "s1", "t2");
    zfs.hold(a, "s3", "t1");

    assertThat(zfs.holds(a, List.of("s1", "s2", "s3")))
        .containsOnly(
            Map.entry("s1", Set.of("t1", "t2")),
            Map.entry("s2", Set.of()),
            Map.entry("s3", Set.of("t1")));
  }

  @Test
  void holdAndReleaseAreCountedInUserrefs() {
    assumeTrue(zfs.capabilities().has(Feature.HOLDS));
    DatasetPath a = create("a");
    snap(a, "s1");

    zfs.hold(a, "s1", "t1");
    zfs.hold(a, "s1", "t2");
    assertThat(userrefs(a, "s1")).isEqualTo(2);

    zfs.release(a, "s1", "t2");
    assertThat(userrefs(a, "s1")).isEqualTo(1);
  }

  @Test
  void holdWithSameTagTwiceThrows() {
    assumeTrue(zfs.capabilities().has(Feature.HOLDS));
    DatasetPath a = create("a");
    snap(a, "s1");
    zfs.hold(a, "s1", "t1");

    // the endpoints hold without asking zfs holds first: this type tells "already held"
    assertThatThrownBy(() -> zfs.hold(a, "s1", "t1")).isInstanceOf(DatasetExistsException.class);
  }

  @Test
  void releaseOfTagNotHeldThrows() {
    assumeTrue(zfs.capabilities().has(Feature.HOLDS));
    DatasetPath a = create("a");
    snap(a, "s1");
    zfs.hold(a, "s1", "t1");

    // the endpoints release without asking zfs holds first: this type tells "not held"
    assertThatThrownBy(() -> zfs.release(a, "s1", "t2"))
        .isInstanceOf(DatasetNotFoundException.class);
    assertThat(userrefs(a, "s1")).isEqualTo(1);
  }

  @Test
  void holdOnMissingSnapshotThrowsNotFound() {
    assumeTrue(zfs.capabilities().has(Feature.HOLDS));
    DatasetPath a = create("a");

    assertThatThrownBy(() -> zfs.hold(a, "missing", "t1"))
        .isInstanceOf(DatasetNotFoundException.class);
  }

  // --- bookmarks --------------------------------------------------------------------------------

  @Test
  void bookmarkKeepsGuidAndCreateTxgAndSortsAfterItsSnapshot() {
    assumeTrue(zfs.capabilities().has(Feature.BOOKMARKS));
    DatasetPath a = create("a");
    snap(a, "s1");
    zfs.bookmark(a, "s1", "b1");
    snap(a, "s2");

    List<FilesystemVersion> versions = zfs.listVersions(a);

    assertThat(versions)
        .extracting(FilesystemVersion::relativeName)
        .containsExactly("@s1", "#b1", "@s2");
    assertThat(versions.get(1).guid()).isEqualTo(versions.get(0).guid());
    assertThat(versions.get(1).createTxg()).isEqualTo(versions.get(0).createTxg());
  }

  @Test
  void bookmarkErrors() {
    assumeTrue(zfs.capabilities().has(Feature.BOOKMARKS));
    DatasetPath a = create("a");
    snap(a, "s1");
    zfs.bookmark(a, "s1", "b1");

    assertThatThrownBy(() -> zfs.bookmark(a, "s1", "b1"))
        .isInstanceOf(DatasetExistsException.class);
    assertThatThrownBy(() -> zfs.bookmark(a, "missing", "b2"))
        .isInstanceOf(DatasetNotFoundException.class);
  }

  @Test
  void destroyBookmarkRemovesOnlyTheBookmark() {
    assumeTrue(zfs.capabilities().has(Feature.BOOKMARKS));
    DatasetPath a = create("a");
    snap(a, "s1");
    zfs.bookmark(a, "s1", "b1");

    zfs.destroyBookmark(a, "b1");

    assertThat(relativeNames(a)).containsExactly("@s1");
    assertThatThrownBy(() -> zfs.destroyBookmark(a, "b1"))
        .isInstanceOf(DatasetNotFoundException.class);
  }

  @Test
  void bookmarksUnsupportedThrowUnsupported() {
    assumeFalse(zfs.capabilities().has(Feature.BOOKMARKS));
    DatasetPath a = create("a");
    snap(a, "s1");

    assertThatThrownBy(() -> zfs.bookmark(a, "s1", "b1"))
        .isInstanceOf(UnsupportedZfsFeatureException.class);
  }

  // --- rollback ---------------------------------------------------------------------------------

  @Test
  void rollbackToNewestSnapshotDiscardsChanges() {
    DatasetPath a = create("a");
    fx.write(a, "f", bytes("before"));
    snap(a, "s1");
    fx.write(a, "f", bytes("after"));

    zfs.rollback(a, "s1", false);

    assertThat(fx.read(a, "f")).isEqualTo(bytes("before"));
  }

  @Test
  void rollbackPastLaterSnapshotsNeedsDestroyLater() {
    DatasetPath a = create("a");
    snap(a, "s1");
    snap(a, "s2");

    assertThatThrownBy(() -> zfs.rollback(a, "s1", false)).isInstanceOf(ZfsException.class);
    assertThat(relativeNames(a)).containsExactly("@s1", "@s2");

    zfs.rollback(a, "s1", true);
    assertThat(relativeNames(a)).containsExactly("@s1");
  }

  @Test
  void rollbackOverHeldSnapshotThrowsBusy() {
    assumeTrue(zfs.capabilities().has(Feature.HOLDS));
    DatasetPath a = create("a");
    snap(a, "s1");
    snap(a, "s2");
    zfs.hold(a, "s2", "keep");

    assertThatThrownBy(() -> zfs.rollback(a, "s1", true)).isInstanceOf(DatasetBusyException.class);
    assertThat(relativeNames(a)).containsExactly("@s1", "@s2");
  }

  @Test
  void rollbackToMissingSnapshotThrowsNotFound() {
    DatasetPath a = create("a");

    assertThatThrownBy(() -> zfs.rollback(a, "missing", true))
        .isInstanceOf(DatasetNotFoundException.class);
  }

  // --- send and receive -------------------------------------------------------------------------

  @Test
  void fullSendReceiveKeepsGuidAndContent() {
    DatasetPath a = create("a");
    fx.write(a, "f", bytes("hello"));
    snap(a, "s1");
    DatasetPath target = fx.newReceiveRoot().child("a");

    transfer(SendRequest.full(a, "s1", Set.of()), target, PLAIN);

    assertThat(zfs.listVersions(target))
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.relativeName()).isEqualTo("@s1");
              assertThat(v.guid()).isEqualTo(version(a, "@s1").guid());
              assertThat(v.creation()).isEqualTo(version(a, "@s1").creation());
            });
    assertThat(fx.read(target, "f")).isEqualTo(bytes("hello"));
  }

  @Test
  void receiveWithDefaultOptionsWorks() {
    DatasetPath a = create("a");
    snap(a, "s1");
    DatasetPath target = fx.newReceiveRoot().child("a");

    transfer(SendRequest.full(a, "s1", Set.of()), target, ReceiveOptions.defaults());

    assertThat(relativeNames(target)).containsExactly("@s1");
  }

  @Test
  void incrementalSendReceiveAddsSnapshotAndContent() {
    DatasetPath a = create("a");
    fx.write(a, "f", bytes("one"));
    snap(a, "s1");
    fx.write(a, "f", bytes("two"));
    fx.write(a, "g", bytes("new"));
    snap(a, "s2");
    DatasetPath target = fx.newReceiveRoot().child("a");
    transfer(SendRequest.full(a, "s1", Set.of()), target, PLAIN);

    transfer(SendRequest.incremental(a, "@s1", "s2", Set.of()), target, PLAIN);

    assertThat(zfs.listVersions(target))
        .extracting(FilesystemVersion::guid)
        .containsExactly(version(a, "@s1").guid(), version(a, "@s2").guid());
    assertThat(fx.read(target, "f")).isEqualTo(bytes("two"));
    assertThat(fx.read(target, "g")).isEqualTo(bytes("new"));
  }

  @Test
  void intermediatesSendEverySnapshotBetween() {
    DatasetPath a = create("a");
    for (String s : List.of("s1", "s2", "s3", "s4")) {
      fx.write(a, "f", bytes(s));
      snap(a, s);
    }
    DatasetPath target = fx.newReceiveRoot().child("a");
    transfer(SendRequest.full(a, "s1", Set.of()), target, PLAIN);

    transfer(SendRequest.intermediates(a, "s1", "s4", Set.of()), target, PLAIN);

    assertThat(zfs.listVersions(target))
        .extracting(FilesystemVersion::relativeName)
        .containsExactly("@s1", "@s2", "@s3", "@s4");
    assertThat(zfs.listVersions(target))
        .extracting(FilesystemVersion::guid)
        .containsExactlyElementsOf(
            zfs.listVersions(a).stream().map(FilesystemVersion::guid).toList());
    assertThat(fx.read(target, "f")).isEqualTo(bytes("s4"));
  }

  @Test
  void incrementalIntoModifiedTargetIsRefusedUnlessForced() {
    DatasetPath a = create("a");
    snap(a, "s1");
    fx.write(a, "f", bytes("from sender"));
    snap(a, "s2");
    DatasetPath target = fx.newReceiveRoot().child("a");
    transfer(SendRequest.full(a, "s1", Set.of()), target, PLAIN);
    fx.write(target, "local", bytes("changed on the receiver"));

    assertThatThrownBy(
            () -> transfer(SendRequest.incremental(a, "@s1", "s2", Set.of()), target, PLAIN))
        .isInstanceOf(DestinationModifiedException.class);
    assertThat(relativeNames(target)).containsExactly("@s1");

    transfer(SendRequest.incremental(a, "@s1", "s2", Set.of()), target, PLAIN.withForce(true));
    assertThat(relativeNames(target)).containsExactly("@s1", "@s2");
    assertThat(fx.read(target, "f")).isEqualTo(bytes("from sender"));
  }

  @Test
  void incrementalOntoUnchangedTargetWithNewerSnapshotIsAccepted() {
    // ZFS checks for changes since the base, not whether the base is the newest snapshot.
    DatasetPath a = create("a");
    snap(a, "s1");
    snap(a, "s2");
    DatasetPath target = fx.newReceiveRoot().child("a");
    transfer(SendRequest.full(a, "s1", Set.of()), target, PLAIN);
    snap(target, "local");

    transfer(SendRequest.incremental(a, "@s1", "s2", Set.of()), target, PLAIN);

    assertThat(relativeNames(target)).containsExactly("@s1", "@local", "@s2");
  }

  @Test
  void incrementalIntoTargetChangedBeforeNewerSnapshotIsRefused() {
    DatasetPath a = create("a");
    snap(a, "s1");
    snap(a, "s2");
    DatasetPath target = fx.newReceiveRoot().child("a");
    transfer(SendRequest.full(a, "s1", Set.of()), target, PLAIN);
    fx.write(target, "local", bytes("changed on the receiver"));
    snap(target, "local");

    assertThatThrownBy(
            () -> transfer(SendRequest.incremental(a, "@s1", "s2", Set.of()), target, PLAIN))
        .isInstanceOf(DestinationModifiedException.class);
    assertThat(relativeNames(target)).containsExactly("@s1", "@local");
  }

  @Test
  void incrementalWithoutCommonBaseIsRefused() {
    DatasetPath a = create("a");
    snap(a, "s1");
    snap(a, "s2");
    snap(a, "s3");
    DatasetPath target = fx.newReceiveRoot().child("a");
    transfer(SendRequest.full(a, "s1", Set.of()), target, PLAIN);

    assertThatThrownBy(
            () -> transfer(SendRequest.incremental(a, "@s2", "s3", Set.of()), target, PLAIN))
        .isInstanceOf(ZfsException.class);
    assertThat(relativeNames(target)).containsExactly("@s1");
  }

  @Test
  void fullStreamIntoExistingFilesystemIsRefused() {
    DatasetPath a = create("a");
    snap(a, "s1");
    DatasetPath recv = fx.newReceiveRoot();
    DatasetPath empty = recv.child("empty");
    zfs.createFilesystem(empty, Map.of(), false);
    DatasetPath withSnapshots = recv.child("full");
    transfer(SendRequest.full(a, "s1", Set.of()), withSnapshots, PLAIN);

    assertThatThrownBy(() -> transfer(SendRequest.full(a, "s1", Set.of()), empty, PLAIN))
        .isInstanceOf(DatasetExistsException.class);
    assertThatThrownBy(
            () ->
                transfer(SendRequest.full(a, "s1", Set.of()), withSnapshots, PLAIN.withForce(true)))
        .isInstanceOf(ZfsException.class);
    assertThat(relativeNames(empty)).isEmpty();
    assertThat(relativeNames(withSnapshots)).containsExactly("@s1");
  }

  @Test
  void receiveBelowMissingParentThrowsNotFound() {
    DatasetPath a = create("a");
    snap(a, "s1");
    DatasetPath target = fx.newReceiveRoot().child("missing/a");

    assertThatThrownBy(() -> transfer(SendRequest.full(a, "s1", Set.of()), target, PLAIN))
        .isInstanceOf(DatasetNotFoundException.class);
  }

  @Test
  void incrementalSendSizeEstimateIsNearTheStreamWhereSupported() {
    assumeTrue(zfs.capabilities().has(Feature.SEND_SIZE_ESTIMATE));
    DatasetPath a = create("a");
    snap(a, "s1");
    fx.write(a, "f", randomBytes(200_000));
    snap(a, "s2");
    SendRequest incremental = SendRequest.incremental(a, "@s1", "s2", Set.of());

    long estimate = zfs.estimateSendSize(incremental).orElseThrow();

    long actual = sendAll(incremental).length;
    assertThat(estimate)
        .as("estimate of a %d-byte stream", actual)
        .isBetween(actual / 2, actual * 2);
  }

  @Test
  void sendSizeEstimateIsEmptyWithoutTheFeature() {
    assumeFalse(zfs.capabilities().has(Feature.SEND_SIZE_ESTIMATE));
    DatasetPath a = create("a");
    snap(a, "s1");
    snap(a, "s2");

    assertThat(zfs.estimateSendSize(SendRequest.incremental(a, "@s1", "s2", Set.of()))).isEmpty();
  }

  @Test
  void sendOfMissingSnapshotThrowsNotFound() {
    DatasetPath a = create("a");
    snap(a, "s1");

    assertThatThrownBy(() -> sendAll(SendRequest.full(a, "missing", Set.of())))
        .isInstanceOf(DatasetNotFoundException.class);
    assertThatThrownBy(() -> sendAll(SendRequest.incremental(a, "@missing", "s1", Set.of())))
        .isInstanceOf(DatasetNotFoundException.class);
  }

  @Test
  void incrementalFromLaterSnapshotIsRefused() {
    DatasetPath a = create("a");
    snap(a, "s1");
    snap(a, "s2");

    assertThatThrownBy(() -> sendAll(SendRequest.incremental(a, "@s2", "s1", Set.of())))
        .isInstanceOf(ZfsException.class);
  }

  @Test
  void rawSendUnsupportedThrowsUnsupported() {
    assumeFalse(zfs.capabilities().has(Feature.RAW_SEND));
    DatasetPath a = create("a");
    snap(a, "s1");

    assertThatThrownBy(() -> sendAll(SendRequest.full(a, "s1", Set.of(SendFlag.RAW))))
        .isInstanceOf(UnsupportedZfsFeatureException.class);
  }

  // --- native encryption ------------------------------------------------------------------------

  /**
   * A new encryption root. The key is the guest's {@code /etc/machine-id} read as a passphrase (32
   * characters, exists on every systemd host): a file the test does not have to create there.
   */
  private DatasetPath createEncrypted(String relative) {
    DatasetPath p = root.child(relative);
    zfs.createFilesystem(
        p,
        Map.of(
            "encryption", "on", "keyformat", "passphrase", "keylocation", "file:///etc/machine-id"),
        false);
    return p;
  }

  private Optional<String> prop(DatasetPath fs, String name) {
    return Optional.ofNullable(zfs.getProperties(fs.toString(), Set.of(name)).get(name))
        .map(Property::value)
        .filter(v -> !v.equals("-"));
  }

  @Test
  void encryptionPropertyTellsEncryptedFromPlainAndChildrenInheritIt() {
    assumeTrue(zfs.capabilities().has(Feature.RAW_SEND));
    DatasetPath enc = createEncrypted("enc");
    DatasetPath child = enc.child("c");
    zfs.createFilesystem(child, Map.of(), false);
    DatasetPath plain = create("plain");

    assertThat(prop(enc, "encryption")).get().isNotEqualTo("off");
    assertThat(prop(enc, "keystatus")).contains("available");
    assertThat(prop(child, "encryption")).isEqualTo(prop(enc, "encryption"));
    assertThat(prop(plain, "encryption")).contains("off");
    assertThat(prop(plain, "keystatus")).isEmpty();
  }

  @Test
  void rawSendOfEncryptedFilesystemArrivesWithoutItsKey() {
    assumeTrue(zfs.capabilities().has(Feature.RAW_SEND));
    DatasetPath enc = createEncrypted("enc");
    fx.write(enc, "f", randomBytes(1024));
    snap(enc, "s1");
    byte[] stream = sendAll(SendRequest.full(enc, "s1", Set.of(SendFlag.RAW)));
    DatasetPath target = fx.newReceiveRoot().child("enc");

    zfs.receive(target, new ByteArrayInputStream(stream), PLAIN);

    assertThat(prop(target, "encryption")).isEqualTo(prop(enc, "encryption"));
    assertThat(prop(target, "keystatus")).contains("unavailable");
  }

  @Test
  void unencryptedChildBelowEncryptedParentCanBeCreated() {
    assumeTrue(zfs.capabilities().has(Feature.RAW_SEND));
    DatasetPath enc = createEncrypted("enc");
    DatasetPath off = enc.child("off");

    zfs.createFilesystem(off, Map.of("encryption", "off"), false);

    assertThat(prop(off, "encryption")).contains("off");
  }

  @Test
  void encryptionPropertyIsUnknownWithoutNativeEncryption() {
    assumeFalse(zfs.capabilities().has(Feature.RAW_SEND));
    DatasetPath a = create("a");

    assertThatThrownBy(() -> zfs.getProperties(a.toString(), Set.of("encryption")))
        .isInstanceOf(ZfsException.class);
  }

  @Test
  void closingSendStreamEarlyAbortsQuietly() throws IOException {
    DatasetPath a = create("a");
    fx.write(a, "big", randomBytes(256 * 1024));
    snap(a, "s1");

    try (SendStream stream = zfs.send(SendRequest.full(a, "s1", Set.of()))) {
      assertThat(stream.data().readNBytes(16)).hasSize(16);
    }

    assertThat(sendAll(SendRequest.full(a, "s1", Set.of()))).hasSizeGreaterThan(256 * 1024);
  }

  @Test
  void cutStreamFailsAndLeavesNoDataset() {
    DatasetPath a = create("a");
    fx.write(a, "big", randomBytes(256 * 1024));
    snap(a, "s1");
    byte[] stream = sendAll(SendRequest.full(a, "s1", Set.of()));
    DatasetPath recv = fx.newReceiveRoot();
    DatasetPath target = recv.child("a");

    assertThatThrownBy(
            () ->
                zfs.receive(target, new ByteArrayInputStream(stream, 0, stream.length / 2), PLAIN))
        .isInstanceOf(ZfsException.class);
    assertThat(paths(recv)).containsExactly(recv);
  }

  @Test
  void garbageStreamFails() {
    DatasetPath target = fx.newReceiveRoot().child("a");
    byte[] garbage = bytes("this is not a send stream, not even close to one\n".repeat(20));

    assertThatThrownBy(() -> zfs.receive(target, new ByteArrayInputStream(garbage), PLAIN))
        .isInstanceOf(ZfsException.class);
  }

  @Test
  void cutResumableStreamLeavesTokenAndResumeCompletes() {
    assumeTrue(zfs.capabilities().has(Feature.RESUMABLE_RECEIVE));
    DatasetPath a = create("a");
    byte[] big = randomBytes(256 * 1024);
    fx.write(a, "big", big);
    snap(a, "s1");
    byte[] stream = sendAll(SendRequest.full(a, "s1", Set.of()));
    DatasetPath target = fx.newReceiveRoot().child("a");
    ReceiveOptions resumable = PLAIN.withResumable(true);

    assertThatThrownBy(
            () ->
                zfs.receive(
                    target, new ByteArrayInputStream(stream, 0, stream.length / 2), resumable))
        .isInstanceOf(ZfsException.class);
    String token = resumeToken(target);
    assertThat(token).isNotBlank();

    transfer(SendRequest.resume(a, token, Set.of()), target, resumable);

    assertThat(zfs.listVersions(target))
        .extracting(FilesystemVersion::guid)
        .containsExactly(version(a, "@s1").guid());
    assertThat(zfs.getProperties(target.toString(), Set.of("receive_resume_token")))
        .doesNotContainKey("receive_resume_token");
    assertThat(fx.read(target, "big")).isEqualTo(big);
  }

  @Test
  void cutResumableIncrementalResumes() {
    assumeTrue(zfs.capabilities().has(Feature.RESUMABLE_RECEIVE));
    DatasetPath a = create("a");
    snap(a, "s1");
    DatasetPath target = fx.newReceiveRoot().child("a");
    transfer(SendRequest.full(a, "s1", Set.of()), target, PLAIN);
    byte[] big = randomBytes(256 * 1024);
    fx.write(a, "big", big);
    snap(a, "s2");
    byte[] stream = sendAll(SendRequest.incremental(a, "@s1", "s2", Set.of()));
    ReceiveOptions resumable = PLAIN.withResumable(true);
    assertThatThrownBy(
            () ->
                zfs.receive(
                    target, new ByteArrayInputStream(stream, 0, stream.length / 2), resumable))
        .isInstanceOf(ZfsException.class);
    assertThat(relativeNames(target)).containsExactly("@s1");

    transfer(SendRequest.resume(a, resumeToken(target), Set.of()), target, resumable);

    assertThat(zfs.listVersions(target))
        .extracting(FilesystemVersion::guid)
        .containsExactly(version(a, "@s1").guid(), version(a, "@s2").guid());
    assertThat(fx.read(target, "big")).isEqualTo(big);
  }

  @Test
  void abortResumableReceiveDiscardsPartialState() {
    assumeTrue(zfs.capabilities().has(Feature.RESUMABLE_RECEIVE));
    DatasetPath a = create("a");
    snap(a, "s1");
    DatasetPath target = fx.newReceiveRoot().child("a");
    transfer(SendRequest.full(a, "s1", Set.of()), target, PLAIN);
    fx.write(a, "big", randomBytes(256 * 1024));
    snap(a, "s2");
    byte[] stream = sendAll(SendRequest.incremental(a, "@s1", "s2", Set.of()));
    ReceiveOptions resumable = PLAIN.withResumable(true);
    assertThatThrownBy(
            () ->
                zfs.receive(
                    target, new ByteArrayInputStream(stream, 0, stream.length / 2), resumable))
        .isInstanceOf(ZfsException.class);
    assertThat(resumeToken(target)).isNotBlank();

    zfs.abortResumableReceive(target);

    assertThat(zfs.getProperties(target.toString(), Set.of("receive_resume_token")))
        .doesNotContainKey("receive_resume_token");
    assertThat(relativeNames(target)).containsExactly("@s1");
    transfer(SendRequest.incremental(a, "@s1", "s2", Set.of()), target, PLAIN);
    assertThat(relativeNames(target)).containsExactly("@s1", "@s2");
  }

  @Test
  void resumableReceiveUnsupportedThrowsUnsupported() {
    assumeFalse(zfs.capabilities().has(Feature.RESUMABLE_RECEIVE));
    DatasetPath a = create("a");
    snap(a, "s1");
    DatasetPath target = fx.newReceiveRoot().child("a");

    assertThatThrownBy(
            () -> transfer(SendRequest.full(a, "s1", Set.of()), target, PLAIN.withResumable(true)))
        .isInstanceOf(UnsupportedZfsFeatureException.class);
  }

  @Test
  void incrementalFromBookmarkAfterSnapshotWasDestroyed() {
    assumeTrue(zfs.capabilities().has(Feature.BOOKMARKS));
    DatasetPath a = create("a");
    snap(a, "s1");
    DatasetPath target = fx.newReceiveRoot().child("a");
    transfer(SendRequest.full(a, "s1", Set.of()), target, PLAIN);
    zfs.bookmark(a, "s1", "b1");
    zfs.destroySnapshots(a, List.of("s1"));
    fx.write(a, "f", bytes("after bookmark"));
    snap(a, "s2");

    transfer(SendRequest.incremental(a, "#b1", "s2", Set.of()), target, PLAIN);

    assertThat(relativeNames(target)).containsExactly("@s1", "@s2");
    assertThat(fx.read(target, "f")).isEqualTo(bytes("after bookmark"));
  }

  @Test
  void sendWithPropertiesReceivesThemAsReceived() {
    DatasetPath a = create("a");
    zfs.setProperty(a, PROP, "sent");
    snap(a, "s1");
    DatasetPath target = fx.newReceiveRoot().child("a");

    transfer(SendRequest.full(a, "s1", Set.of(SendFlag.PROPERTIES)), target, PLAIN);

    assertThat(zfs.getProperties(target.toString(), Set.of(PROP)))
        .containsEntry(PROP, new Property("sent", Source.RECEIVED));
  }

  @Test
  void receivePropertyOverridesAndExclusions() {
    assumeTrue(zfs.capabilities().has(Feature.RECEIVE_PROPERTY_OVERRIDES));
    DatasetPath a = create("a");
    zfs.setProperty(a, "zrepl-test:keep", "k");
    zfs.setProperty(a, "zrepl-test:override", "sent");
    zfs.setProperty(a, "zrepl-test:exclude", "x");
    snap(a, "s1");
    DatasetPath target = fx.newReceiveRoot().child("a");
    ReceiveOptions options =
        new ReceiveOptions(
            false,
            false,
            false,
            Map.of("zrepl-test:override", "mine"),
            Set.of("zrepl-test:exclude"));

    transfer(SendRequest.full(a, "s1", Set.of(SendFlag.PROPERTIES)), target, options);

    Set<String> names = Set.of("zrepl-test:keep", "zrepl-test:override", "zrepl-test:exclude");
    assertThat(zfs.getProperties(target.toString(), names))
        .containsEntry("zrepl-test:keep", new Property("k", Source.RECEIVED))
        .containsEntry("zrepl-test:override", Property.local("mine"))
        .doesNotContainKey("zrepl-test:exclude");
  }

  // --- helpers ----------------------------------------------------------------------------------

  private DatasetPath create(String relative) {
    DatasetPath p = root.child(relative);
    zfs.createFilesystem(p, Map.of(), false);
    return p;
  }

  private void snap(DatasetPath fs, String name) {
    zfs.snapshot(List.of(fs), name);
  }

  private FilesystemVersion version(DatasetPath fs, String relativeName) {
    return zfs.listVersions(fs).stream()
        .filter(v -> v.relativeName().equals(relativeName))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no version " + fs + relativeName));
  }

  private int userrefs(DatasetPath fs, String snapshot) {
    return Integer.parseInt(
        zfs.getProperties(fs + "@" + snapshot, Set.of("userrefs")).get("userrefs").value());
  }

  private List<String> relativeNames(DatasetPath fs) {
    return zfs.listVersions(fs).stream().map(FilesystemVersion::relativeName).toList();
  }

  private List<DatasetPath> paths(DatasetPath under) {
    return zfs.listDatasets(List.of(under), Set.of()).stream().map(DatasetInfo::path).toList();
  }

  private static Map<DatasetPath, DatasetInfo> byPath(List<DatasetInfo> list) {
    return list.stream().collect(Collectors.toMap(DatasetInfo::path, i -> i));
  }

  private String resumeToken(DatasetPath target) {
    Property p =
        zfs.getProperties(target.toString(), Set.of("receive_resume_token"))
            .get("receive_resume_token");
    assertThat(p).as("receive_resume_token of %s", target).isNotNull();
    return p.value();
  }

  /** Sends into a receive, as a replication step does; the sender must succeed too. */
  private void transfer(SendRequest request, DatasetPath target, ReceiveOptions options) {
    try (SendStream stream = zfs.send(request)) {
      zfs.receive(target, stream.data(), options);
      stream.finish();
    }
  }

  private byte[] sendAll(SendRequest request) {
    try (SendStream stream = zfs.send(request)) {
      byte[] bytes = stream.data().readAllBytes();
      stream.finish();
      return bytes;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }
}
