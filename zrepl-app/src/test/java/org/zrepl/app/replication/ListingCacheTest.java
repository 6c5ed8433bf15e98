package org.zrepl.app.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.zfs.DatasetInfo;
import org.zrepl.port.zfs.DatasetNotFoundException;
import org.zrepl.port.zfs.Property;
import org.zrepl.port.zfs.ReceiveOptions;
import org.zrepl.port.zfs.SendFlag;
import org.zrepl.port.zfs.SendRequest;
import org.zrepl.port.zfs.SendStream;
import org.zrepl.port.zfs.ZfsCapabilities;

/**
 * The listing cache saves processes inside a session and never hides a change made through it: a
 * snapshot created, destroyed or received by a step is seen by the next read.
 */
class ListingCacheTest {

  private final FakeWorld w = new FakeWorld(ZfsCapabilities.openZfs21());
  private final ListingCache cache = new ListingCache(w.zfs);
  private final DatasetPath a = w.fs("src/a");
  private final DatasetPath b = w.fs("src/b");

  private List<String> names(DatasetPath fs) {
    return cache.listVersions(List.of(fs)).get(fs).stream().map(FilesystemVersion::name).toList();
  }

  private List<DatasetPath> datasets() {
    return cache.listDatasets(List.of(), Set.of()).stream().map(DatasetInfo::path).toList();
  }

  @Test
  void aSessionListsEachFilesystemOnce() {
    w.zfs.snapshot(List.of(a, b), "s1");
    int before = w.zfs.processesStarted("list");
    try (ListingCache.Session s = cache.open()) {
      cache.listVersions(List.of(a, b));
      cache.listVersions(List.of(a));
      cache.listVersions(List.of(b, a));
      datasets();
      datasets();
    }
    assertThat(w.zfs.processesStarted("list") - before).isEqualTo(2);
  }

  @Test
  void onlyTheMissingFilesystemsAreListed() {
    try (ListingCache.Session s = cache.open()) {
      cache.listVersions(List.of(a));
      int before = w.zfs.processesStarted("list");
      assertThat(cache.listVersions(List.of(a, b))).containsOnlyKeys(a, b);
      assertThat(w.zfs.processesStarted("list") - before).isEqualTo(1);
    }
  }

  @Test
  void aSnapshotTakenThroughTheCacheIsSeen() {
    try (ListingCache.Session s = cache.open()) {
      assertThat(names(a)).isEmpty();
      cache.snapshot(List.of(a), "s1");
      assertThat(names(a)).containsExactly("s1");
    }
  }

  @Test
  void aDestroyedSnapshotIsNotListedAgain() {
    w.zfs.snapshot(List.of(a), "s1");
    w.zfs.snapshot(List.of(a), "s2");
    try (ListingCache.Session s = cache.open()) {
      assertThat(names(a)).containsExactly("s1", "s2");
      cache.destroySnapshots(a, List.of("s1"));
      assertThat(names(a)).containsExactly("s2");
    }
  }

  @Test
  void aReceivedFilesystemAndItsSnapshotAreSeen() throws Exception {
    w.zfs.snapshot(List.of(a), "s1");
    DatasetPath target = DatasetPath.of("dst/a");
    try (ListingCache.Session s = cache.open()) {
      assertThat(datasets()).doesNotContain(target);
      try (SendStream send = cache.send(SendRequest.full(a, "s1", Set.of()));
          InputStream in = send.data()) {
        cache.receive(target, in, ReceiveOptions.defaults());
        send.finish();
      }
      assertThat(datasets()).contains(target);
      assertThat(names(target)).containsExactly("s1");
    }
  }

  @Test
  void aFailedChangeStillForgetsWhatItMayHaveChanged() {
    w.zfs.snapshot(List.of(a), "s1");
    try (ListingCache.Session s = cache.open()) {
      assertThat(names(a)).containsExactly("s1");
      w.zfs.snapshot(List.of(a), "s2"); // behind the cache's back
      try {
        cache.destroySnapshots(a, List.of("nosuch"));
      } catch (RuntimeException expected) {
        // the destroy failed; the listing must be made afresh all the same
      }
      assertThat(names(a)).containsExactly("s1", "s2");
    }
  }

  @Test
  void outsideASessionNothingIsRemembered() {
    assertThat(names(a)).isEmpty();
    w.zfs.snapshot(List.of(a), "s1"); // behind the cache's back
    assertThat(names(a)).containsExactly("s1");
    try (ListingCache.Session s = cache.open()) {
      assertThat(names(a)).containsExactly("s1");
    }
    w.zfs.snapshot(List.of(a), "s2");
    assertThat(names(a)).containsExactly("s1", "s2");
    w.zfs.createFilesystem(DatasetPath.of("src/c"), Map.of(), false);
    assertThat(datasets()).contains(DatasetPath.of("src/c"));
  }

  @Test
  void aListingWithMorePropertiesServesOneWithFewer() {
    try (ListingCache.Session s = cache.open()) {
      cache.listDatasets(List.of(), Set.of("zrepl:placeholder"));
      int before = w.zfs.processesStarted("list");
      assertThat(cache.listDatasets(List.of(), Set.of()))
          .allMatch(d -> d.properties().isEmpty())
          .extracting(DatasetInfo::path)
          .contains(a, b);
      assertThat(w.zfs.processesStarted("list")).isEqualTo(before);
    }
  }

  @Test
  void aListingOfEveryPoolAnswersOneOfSomeRootsButAMissingRootGoesToZfs() {
    try (ListingCache.Session s = cache.open()) {
      datasets();
      int before = w.zfs.processesStarted("list");
      assertThat(cache.listDatasets(List.of(a), Set.of()))
          .extracting(DatasetInfo::path)
          .containsExactly(a);
      assertThat(w.zfs.processesStarted("list")).isEqualTo(before);
      assertThatThrownBy(() -> cache.listDatasets(List.of(DatasetPath.of("src/nosuch")), Set.of()))
          .isInstanceOf(DatasetNotFoundException.class);
    }
  }

  @Test
  void aScopedListingOfEveryPoolListsTheScopeAndWhileARootIsMissingTheOtherRoots() {
    w.fs("src/other");
    DatasetPath dst = DatasetPath.of("dst/a");
    ListingCache scoped = new ListingCache(w.zfs, caps -> Set.of(), Set.of(a, dst));
    try (ListingCache.Session s = scoped.open()) {
      int before = processes();
      assertThat(scoped.listDatasets(List.of(), Set.of()))
          .extracting(DatasetInfo::path)
          .containsExactly(a);
      // the failed listing, whether each root exists, the listing of the one that does
      assertThat(processes()).isEqualTo(before + 4);
      assertThat(scoped.listDatasets(List.of(), Set.of()))
          .extracting(DatasetInfo::path)
          .containsExactly(a);
      assertThat(scoped.exists(dst)).isFalse();
      assertThat(processes()).isEqualTo(before + 4);
      // asked by name, a missing root is still ZFS's "does not exist"
      assertThatThrownBy(() -> scoped.listDatasets(List.of(dst), Set.of()))
          .isInstanceOf(DatasetNotFoundException.class);
      scoped.createFilesystem(dst, Map.of(), false);
      assertThat(scoped.exists(dst)).isTrue();
      assertThat(scoped.listDatasets(List.of(), Set.of()))
          .extracting(DatasetInfo::path)
          .containsExactly(dst, a);
    }
    w.zfs.destroyDataset(dst, false);
    w.zfs.createFilesystem(DatasetPath.of("dst/a"), Map.of(), false);
    try (ListingCache.Session s = scoped.open()) {
      assertThat(scoped.listDatasets(List.of(), Set.of()))
          .extracting(DatasetInfo::path)
          .containsExactly(DatasetPath.of("dst/a"), a);
    }
    assertThat(scoped.listDatasets(List.of(), Set.of())).extracting(DatasetInfo::path).contains(b);
  }

  @Test
  void rootsWithinTheScopeAreAnsweredFromTheScopesOneListing() {
    DatasetPath dst = DatasetPath.of("dst/a");
    w.zfs.createFilesystem(dst, Map.of(), true);
    ListingCache scoped = new ListingCache(w.zfs, caps -> Set.of(), Set.of(a, dst));
    try (ListingCache.Session s = scoped.open()) {
      int before = processes();
      assertThat(scoped.listDatasets(List.of(a), Set.of()))
          .extracting(DatasetInfo::path)
          .containsExactly(a);
      assertThat(scoped.listDatasets(List.of(dst), Set.of()))
          .extracting(DatasetInfo::path)
          .containsExactly(dst);
      assertThat(scoped.listDatasets(List.of(), Set.of()))
          .extracting(DatasetInfo::path)
          .containsExactly(dst, a);
      assertThat(processes()).isEqualTo(before + 1);
      List<List<String>> started = w.zfs.commandsStarted();
      assertThat(started.get(started.size() - 1)).contains("dst/a", "src/a");
      // outside the scope, and a missing root within it, go to ZFS
      scoped.listDatasets(List.of(b), Set.of());
      assertThatThrownBy(() -> scoped.listDatasets(List.of(a.child("nosuch")), Set.of()))
          .isInstanceOf(DatasetNotFoundException.class);
    }
  }

  private static final String CURSORS = "zrepl:cursors";

  private int processes() {
    return w.zfs.processesStarted().values().stream().mapToInt(Integer::intValue).sum();
  }

  @Test
  void aFilesystemsPropertiesAndAbsenceComeFromTheListing() {
    w.zfs.setProperty(a, CURSORS, "j=1");
    try (ListingCache.Session s = cache.open()) {
      cache.listDatasets(List.of(), Set.of(CURSORS));
      int before = processes();
      assertThat(cache.getProperties(a.toString(), Set.of(CURSORS)))
          .containsEntry(CURSORS, Property.local("j=1"));
      assertThat(cache.getProperties(b.toString(), Set.of(CURSORS))).isEmpty();
      assertThatThrownBy(() -> cache.getProperties("src/nosuch", Set.of(CURSORS)))
          .isInstanceOf(DatasetNotFoundException.class)
          .hasMessageContaining("src/nosuch");
      assertThat(cache.getProperties(a.toString(), Set.of("type")))
          .isEqualTo(w.zfs.getProperties(a.toString(), Set.of("type")));
      assertThat(processes()).isEqualTo(before + 1); // the direct get only
      // a property the listing lacks, or a snapshot, goes to ZFS
      cache.getProperties(a.toString(), Set.of("zrepl:other"));
      assertThat(processes()).isEqualTo(before + 2);
    }
  }

  @Test
  void aUserPropertySetThroughTheCacheIsSeenWithItsInheritanceAndKeepsTheVersions() {
    DatasetPath src = DatasetPath.of("src");
    w.zfs.setProperty(b, CURSORS, "own=1");
    w.zfs.snapshot(List.of(a), "s1");
    try (ListingCache.Session s = cache.open()) {
      cache.listDatasets(List.of(), Set.of(CURSORS));
      names(a);
      cache.setProperty(src, CURSORS, "j=2");
      int before = processes();
      assertThat(cache.getProperties("src", Set.of(CURSORS)))
          .containsEntry(CURSORS, Property.local("j=2"));
      assertThat(cache.getProperties(a.toString(), Set.of(CURSORS)))
          .containsEntry(CURSORS, new Property("j=2", Property.Source.INHERITED));
      assertThat(cache.getProperties(b.toString(), Set.of(CURSORS)))
          .containsEntry(CURSORS, Property.local("own=1"));
      assertThat(names(a)).containsExactly("s1");
      assertThat(processes()).isEqualTo(before);
      // what ZFS itself says afterwards is the same
      assertThat(w.zfs.getProperties(a.toString(), Set.of(CURSORS)))
          .containsEntry(CURSORS, new Property("j=2", Property.Source.INHERITED));
      cache.inheritProperty(src, CURSORS);
      assertThat(cache.getProperties(a.toString(), Set.of(CURSORS))).isEmpty();
      assertThat(processes()).isEqualTo(before + 3); // the direct get, the inherit, a get
    }
  }

  @Test
  void aReceiveWithoutPropertiesMakesOnlyItsTargetStale() throws Exception {
    w.zfs.snapshot(List.of(a), "s1");
    DatasetPath dst = w.fs("dst");
    DatasetPath sibling = w.fs("dst/sibling");
    DatasetPath target = DatasetPath.of("dst/a");
    try (ListingCache.Session s = cache.open()) {
      cache.listDatasets(List.of(), Set.of(CURSORS));
      receive(SendRequest.full(a, "s1", Set.of()), target);
      int before = processes();
      assertThat(cache.getProperties(sibling.toString(), Set.of(CURSORS))).isEmpty();
      assertThat(cache.getProperties(dst.toString(), Set.of(CURSORS))).isEmpty();
      assertThat(processes()).isEqualTo(before);
      assertThat(cache.getProperties(target.toString(), Set.of(CURSORS))).isEmpty();
      assertThat(processes()).isEqualTo(before + 1); // the target itself is asked
      assertThat(datasets()).contains(target);
    }
  }

  @Test
  void aReceiveAfterASendWithPropertiesMakesTheTargetsSubtreeStale() throws Exception {
    assertThat(childAskedAfterIncrementalReceive(Set.of())).isEqualTo(0);
    assertThat(childAskedAfterIncrementalReceive(Set.of(SendFlag.PROPERTIES))).isEqualTo(1);
  }

  /** How many processes reading a child of an incremental receive's target takes. */
  private int childAskedAfterIncrementalReceive(Set<SendFlag> flags) throws Exception {
    DatasetPath from = w.fs("src/inc" + flags.size());
    DatasetPath target = DatasetPath.of("dst/inc" + flags.size());
    w.zfs.snapshot(List.of(from), "s1");
    try (SendStream send = w.zfs.send(SendRequest.full(from, "s1", Set.of()));
        InputStream in = send.data()) {
      w.zfs.receive(target, in, ReceiveOptions.defaults());
      send.finish();
    }
    DatasetPath child = target.child("child");
    w.zfs.createFilesystem(child, Map.of(), false);
    w.zfs.snapshot(List.of(from), "s2");
    try (ListingCache.Session s = cache.open()) {
      cache.listDatasets(List.of(), Set.of(CURSORS));
      receive(SendRequest.incremental(from, "@s1", "s2", flags), target);
      int before = processes();
      assertThat(cache.getProperties(child.toString(), Set.of(CURSORS))).isEmpty();
      return processes() - before;
    }
  }

  private void receive(SendRequest request, DatasetPath target) throws Exception {
    try (SendStream send = cache.send(request);
        InputStream in = send.data()) {
      cache.receive(target, in, ReceiveOptions.defaults());
      send.finish();
    }
  }

  @Test
  void aFilesystemReceivedOrCreatedThroughTheCacheExistsWithoutAProcessUntilDestroyed()
      throws Exception {
    w.zfs.snapshot(List.of(a), "s1");
    w.fs("dst");
    DatasetPath target = DatasetPath.of("dst/a");
    DatasetPath made = DatasetPath.of("dst/made");
    try (ListingCache.Session s = cache.open()) {
      datasets();
      assertThat(cache.exists(target)).isFalse();
      receive(SendRequest.full(a, "s1", Set.of()), target);
      cache.createFilesystem(made, Map.of(), false);
      int before = processes();
      assertThat(cache.exists(target)).isTrue();
      assertThat(cache.exists(made)).isTrue();
      assertThat(cache.exists(a)).isTrue();
      assertThat(cache.exists(DatasetPath.of("src/nosuch"))).isFalse();
      assertThat(processes()).isEqualTo(before);
      cache.destroyDataset(target, true);
      assertThat(cache.exists(target)).isFalse();
      assertThat(processes()).isEqualTo(before + 2); // the destroy, then ZFS is asked
    }
    assertThat(cache.exists(made)).isTrue(); // outside a session: ZFS says so
  }

  @Test
  void aSnapshotsReferencedComesWithItsListingAndGoesWithIt() {
    ListingCache sized =
        new ListingCache(w.zfs, caps -> Set.of(), caps -> Set.of("referenced"), Set.of());
    w.write(a, "x".repeat(10_000));
    w.zfs.snapshot(List.of(a), "s1");
    Map<String, Property> direct = w.zfs.getProperties(a + "@s1", Set.of("referenced"));
    try (ListingCache.Session s = sized.open()) {
      sized.listVersions(List.of(a, b));
      int before = processes();
      assertThat(sized.getProperties(a + "@s1", Set.of("referenced"))).isEqualTo(direct);
      assertThat(processes()).isEqualTo(before);
      // another property, or a snapshot the listing does not name, goes to ZFS
      sized.getProperties(a + "@s1", Set.of("guid"));
      assertThat(processes()).isEqualTo(before + 1);
      sized.snapshot(List.of(a), "s2");
      assertThat(sized.getProperties(a + "@s2", Set.of("referenced")))
          .isEqualTo(w.zfs.getProperties(a + "@s2", Set.of("referenced")));
      assertThat(processes()).isEqualTo(before + 4); // guid, the snapshot, its get, the direct one
    }
  }

  @Test
  void aListingWithTheFilesystemsPropertiesAsksZfsAndKeepsTheVersions() {
    w.zfs.snapshot(List.of(a), "s1");
    w.zfs.setProperty(a, CURSORS, "j=1");
    try (ListingCache.Session s = cache.open()) {
      int before = processes();
      assertThat(cache.listVersions(List.of(a), Set.of(CURSORS)).get(a).properties())
          .containsEntry(CURSORS, Property.local("j=1"));
      assertThat(cache.listVersions(List.of(a), Set.of(CURSORS)).get(a).properties())
          .containsEntry(CURSORS, Property.local("j=1"));
      assertThat(names(a)).containsExactly("s1");
      assertThat(processes()).isEqualTo(before + 2); // each with properties; not the names
    }
  }

  /**
   * On zfs-fuse the dataset listing prints every snapshot anyway: one process brings the datasets
   * and every listed filesystem's versions (with the snapshots' extras), and a change through the
   * cache still forgets what it changed.
   */
  @Test
  void onZfsFuseTheDatasetListingBringsEveryListedFilesystemsVersions() {
    FakeWorld fuse = new FakeWorld(ZfsCapabilities.zfsFuse());
    DatasetPath fa = fuse.fs("src/a");
    DatasetPath fb = fuse.fs("src/b");
    fuse.write(fa, "x".repeat(10_000));
    fuse.zfs.snapshot(List.of(fa), "s1");
    fuse.zfs.snapshot(List.of(fb), "s1");
    Map<DatasetPath, List<FilesystemVersion>> direct = fuse.zfs.listVersions(List.of(fa, fb));
    Map<String, Property> referenced = fuse.zfs.getProperties(fa + "@s1", Set.of("referenced"));
    ListingCache onFuse =
        new ListingCache(fuse.zfs, caps -> Set.of(), caps -> Set.of("referenced"), Set.of());
    try (ListingCache.Session s = onFuse.open()) {
      int before = fuse.zfs.processesStarted("list");
      assertThat(onFuse.listDatasets(List.of(), Set.of()))
          .extracting(DatasetInfo::path)
          .contains(fa, fb);
      assertThat(fuse.zfs.processesStarted("list")).isEqualTo(before + 1);
      assertThat(onFuse.listVersions(List.of(fa, fb))).isEqualTo(direct);
      assertThat(onFuse.getProperties(fa + "@s1", Set.of("referenced"))).isEqualTo(referenced);
      assertThat(fuse.zfs.processesStarted("list")).isEqualTo(before + 1);
      onFuse.snapshot(List.of(fa), "s2");
      assertThat(onFuse.listVersions(List.of(fa)).get(fa))
          .extracting(FilesystemVersion::name)
          .containsExactly("s1", "s2");
      assertThat(onFuse.listVersions(List.of(fb))).isEqualTo(Map.of(fb, direct.get(fb)));
      assertThat(fuse.zfs.processesStarted("list")).isEqualTo(before + 2); // a's listing only
    }
  }
}
