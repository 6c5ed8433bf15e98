package org.zrepl.app.abstraction;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.zrepl.domain.dataset.DatasetFilter;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.zfs.ZfsCapabilities;
import org.zrepl.zfs.fake.InMemoryZfs;

/** Listing, the staleness rules and releasing, on the ZFS fake. */
class AbstractionsTest {

  private static final DatasetPath A = DatasetPath.of("tank/a");
  private static final DatasetPath B = DatasetPath.of("tank/b");

  private final InMemoryZfs zfs = zfs(ZfsCapabilities.openZfs21());
  private final Abstractions abstractions = new Abstractions(zfs);

  private static InMemoryZfs zfs(ZfsCapabilities caps) {
    InMemoryZfs zfs =
        new InMemoryZfs(
            caps, Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC), 7);
    zfs.createPool("tank");
    zfs.createFilesystem(A, Map.of(), false);
    zfs.createFilesystem(B, Map.of(), false);
    for (String s : List.of("s1", "s2", "s3")) {
      zfs.snapshot(List.of(A, B), s);
    }
    return zfs;
  }

  private long guid(DatasetPath fs, String snapshot) {
    return zfs.listVersions(fs).stream()
        .filter(v -> v.isSnapshot() && v.name().equals(snapshot))
        .mapToLong(FilesystemVersion::guid)
        .findFirst()
        .orElseThrow();
  }

  private String cursor(DatasetPath fs, String snapshot, String job) {
    String name = String.format(Locale.ROOT, "zrepl_CURSOR_G_%016x_J_%s", guid(fs, snapshot), job);
    zfs.bookmark(fs, snapshot, name);
    return name;
  }

  private String tentative(DatasetPath fs, String snapshot, String job) {
    String name =
        String.format(Locale.ROOT, "zrepl_CURSORTENTATIVE_G_%016x_J_%s", guid(fs, snapshot), job);
    zfs.bookmark(fs, snapshot, name);
    return name;
  }

  private static Predicate<String> configured(String... jobs) {
    Set<String> names = Set.of(jobs);
    return id -> names.contains(id) || names.stream().anyMatch(n -> id.startsWith(n + "_C_"));
  }

  private Staleness stale(Predicate<String> configured) {
    Abstractions.StaleListing s =
        abstractions.stale(AbstractionQuery.all(), Optional.of(configured));
    assertThat(s.errors()).isEmpty();
    return s.staleness();
  }

  private static List<String> lines(List<Abstraction> as) {
    return as.stream().map(Abstraction::toString).sorted().toList();
  }

  @Test
  void listFindsOursWithTypeAndJobAndSkipsForeignNames() {
    zfs.hold(A, "s1", "zrepl_STEP_J_push");
    zfs.hold(A, "s2", "zrepl_last_received_J_sink");
    zfs.hold(A, "s2", "backup-in-progress");
    String c = cursor(A, "s2", "src_C_client1");
    String t = tentative(A, "s3", "push");
    zfs.bookmark(A, "s1", "my_own_bookmark");
    zfs.bookmark(A, "s1", "zrepl_replication_cursor");

    Abstractions.Listing l = abstractions.list(AbstractionQuery.all());

    assertThat(l.errors()).isEmpty();
    assertThat(lines(l.found()))
        .containsExactly(
            "last-received-hold \"zrepl_last_received_J_sink\" on tank/a@s2",
            "replication-cursor-bookmark-v1 tank/a#zrepl_replication_cursor",
            "replication-cursor-bookmark-v2 tank/a#" + c,
            "step-hold \"zrepl_STEP_J_push\" on tank/a@s1",
            "tentative-replication-cursor-bookmark-v2 tank/a#" + t);
    Abstraction cursor =
        l.found().stream().filter(a -> a.type() == AbstractionType.CURSOR_V2).findFirst().get();
    assertThat(cursor.jobId()).contains("src_C_client1");
    assertThat(cursor.guid()).isEqualTo(guid(A, "s2"));
    assertThat(l.found().stream().filter(a -> a.type() == AbstractionType.CURSOR_V1))
        .allMatch(a -> a.jobId().isEmpty());
  }

  @Test
  void filtersByJobTypeAndFilesystem() {
    zfs.hold(A, "s1", "zrepl_STEP_J_push");
    zfs.hold(B, "s1", "zrepl_STEP_J_push");
    zfs.hold(A, "s1", "zrepl_STEP_J_other");
    cursor(A, "s2", "push");

    assertThat(
            lines(
                abstractions
                    .list(
                        new AbstractionQuery(
                            Optional.of(A),
                            Optional.empty(),
                            Optional.of("push"),
                            EnumSet.of(AbstractionType.STEP_HOLD)))
                    .found()))
        .containsExactly("step-hold \"zrepl_STEP_J_push\" on tank/a@s1");
    assertThat(
            lines(
                abstractions
                    .list(
                        new AbstractionQuery(
                            Optional.empty(),
                            Optional.of(DatasetFilter.of(Map.of("tank<", "ok", "tank/a", "!"))),
                            Optional.empty(),
                            EnumSet.allOf(AbstractionType.class)))
                    .found()))
        .containsExactly("step-hold \"zrepl_STEP_J_push\" on tank/b@s1");
  }

  @Test
  void aMissingFilesystemIsAListingError() {
    Abstractions.Listing l = abstractions.list(AbstractionQuery.of(DatasetPath.of("tank/x"), "j"));
    assertThat(l.found()).isEmpty();
    assertThat(l.errors()).singleElement().asString().contains("tank/x", "does not exist");
  }

  @Test
  void stepHoldsAtOrBeforeTheCursorAreStaleLaterOnesLive() {
    zfs.hold(A, "s1", "zrepl_STEP_J_push");
    zfs.hold(A, "s2", "zrepl_STEP_J_push");
    zfs.hold(A, "s3", "zrepl_STEP_J_push");
    cursor(A, "s2", "push");

    Staleness s = stale(configured("push"));

    assertThat(lines(s.staleAbstractions()))
        .containsExactly(
            "step-hold \"zrepl_STEP_J_push\" on tank/a@s1",
            "step-hold \"zrepl_STEP_J_push\" on tank/a@s2");
    assertThat(lines(s.live())).contains("step-hold \"zrepl_STEP_J_push\" on tank/a@s3");
    assertThat(s.stale().get(0).reason()).contains("at or before the job's replication cursor");
  }

  @Test
  void withoutACursorOnlyTheNewestStepHoldIsLive() {
    zfs.hold(A, "s1", "zrepl_STEP_J_push");
    zfs.hold(A, "s3", "zrepl_STEP_J_push");

    Staleness s = stale(configured("push"));

    assertThat(lines(s.staleAbstractions()))
        .containsExactly("step-hold \"zrepl_STEP_J_push\" on tank/a@s1");
    assertThat(lines(s.live())).containsExactly("step-hold \"zrepl_STEP_J_push\" on tank/a@s3");
  }

  @Test
  void olderCursorsLastReceivedHoldsAndTentativeCursorsAreStale() {
    String old = cursor(A, "s1", "push");
    String current = cursor(A, "s2", "push");
    String oldTentative = tentative(A, "s2", "push");
    String newTentative = tentative(A, "s3", "push");
    zfs.hold(B, "s1", "zrepl_last_received_J_sink");
    zfs.hold(B, "s3", "zrepl_last_received_J_sink");

    Staleness s = stale(configured("push", "sink"));

    assertThat(lines(s.staleAbstractions()))
        .containsExactly(
            "last-received-hold \"zrepl_last_received_J_sink\" on tank/b@s1",
            "replication-cursor-bookmark-v2 tank/a#" + old,
            "tentative-replication-cursor-bookmark-v2 tank/a#" + oldTentative);
    assertThat(lines(s.live()))
        .containsExactly(
            "last-received-hold \"zrepl_last_received_J_sink\" on tank/b@s3",
            "replication-cursor-bookmark-v2 tank/a#" + current,
            "tentative-replication-cursor-bookmark-v2 tank/a#" + newTentative);
  }

  @Test
  void eachPullerOfASourceKeepsItsOwnNewestCursor() {
    String a = cursor(A, "s1", "src_C_laptop");
    String b = cursor(A, "s3", "src_C_backup");

    Staleness s = stale(configured("src"));

    assertThat(s.stale()).isEmpty();
    assertThat(lines(s.live()))
        .containsExactly(
            "replication-cursor-bookmark-v2 tank/a#" + b,
            "replication-cursor-bookmark-v2 tank/a#" + a);
  }

  @Test
  void everythingOfAJobNoLongerConfiguredIsStale() {
    String gone = cursor(A, "s3", "oldpush");
    String goneClient = cursor(A, "s3", "oldsrc_C_laptop");
    zfs.hold(B, "s3", "zrepl_last_received_J_oldsink");
    zfs.hold(B, "s3", "zrepl_STEP_J_oldsink");
    String kept = cursor(A, "s2", "push");
    zfs.bookmark(A, "s1", "zrepl_replication_cursor");

    Staleness s = stale(configured("push"));

    assertThat(lines(s.staleAbstractions()))
        .containsExactly(
            "last-received-hold \"zrepl_last_received_J_oldsink\" on tank/b@s3",
            "replication-cursor-bookmark-v2 tank/a#" + gone,
            "replication-cursor-bookmark-v2 tank/a#" + goneClient,
            "step-hold \"zrepl_STEP_J_oldsink\" on tank/b@s3");
    assertThat(s.stale())
        .allMatch(st -> st.reason().contains("is not a job of this configuration"));
    assertThat(lines(s.live()))
        .containsExactly(
            "replication-cursor-bookmark-v1 tank/a#zrepl_replication_cursor",
            "replication-cursor-bookmark-v2 tank/a#" + kept);
  }

  @Test
  void withoutTheConfigurationRuleAJobsNewestAbstractionsStay() {
    cursor(A, "s3", "oldpush");
    zfs.hold(B, "s3", "zrepl_last_received_J_oldsink");

    Abstractions.StaleListing s = abstractions.stale(AbstractionQuery.all(), Optional.empty());

    assertThat(s.staleness().stale()).isEmpty();
    assertThat(s.staleness().live()).hasSize(2);
  }

  @Test
  void releasingStaleLeavesLiveAndForeignOnes() {
    zfs.hold(A, "s1", "zrepl_STEP_J_push");
    zfs.hold(A, "s1", "backup-in-progress");
    String old = cursor(A, "s1", "push");
    String current = cursor(A, "s2", "push");
    zfs.bookmark(A, "s1", "my_own_bookmark");

    List<Abstractions.Outcome> out =
        abstractions.destroy(stale(configured("push")).staleAbstractions());

    assertThat(out).hasSize(2).allMatch(o -> o.error().isEmpty());
    assertThat(zfs.holds(A, "s1")).containsExactly("backup-in-progress");
    assertThat(zfs.listVersions(A).stream().filter(FilesystemVersion::isBookmark))
        .extracting(FilesystemVersion::name)
        .containsExactlyInAnyOrder(current, "my_own_bookmark")
        .doesNotContain(old);
  }

  @Test
  void releaseAllRemovesOursOnlyAndReportsEachFailure() {
    zfs.hold(A, "s1", "zrepl_STEP_J_push");
    zfs.hold(A, "s1", "backup-in-progress");
    cursor(A, "s2", "push");
    zfs.bookmark(A, "s1", "my_own_bookmark");
    List<Abstraction> all = abstractions.list(AbstractionQuery.all()).found();
    zfs.release(A, "s1", "zrepl_STEP_J_push"); // gone meanwhile: its release fails, with the cause

    List<Abstractions.Outcome> out = abstractions.destroy(all);

    assertThat(out.stream().filter(o -> o.error().isPresent()))
        .singleElement()
        .satisfies(o -> assertThat(o.abstraction().type()).isEqualTo(AbstractionType.STEP_HOLD));
    assertThat(abstractions.list(AbstractionQuery.all()).found()).isEmpty();
    assertThat(zfs.holds(A, "s1")).containsExactly("backup-in-progress");
    assertThat(zfs.listVersions(A).stream().filter(FilesystemVersion::isBookmark))
        .extracting(FilesystemVersion::name)
        .containsExactly("my_own_bookmark");
  }

  @Test
  void zfsFuseCursorEntriesOfRemovedJobsAreStaleAndRemovedOneByOne() {
    InMemoryZfs fuse = zfs(ZfsCapabilities.zfsFuse());
    Abstractions onFuse = new Abstractions(fuse);
    long g2 =
        fuse.listVersions(A).stream().filter(v -> v.name().equals("s2")).findFirst().get().guid();
    long g3 =
        fuse.listVersions(A).stream().filter(v -> v.name().equals("s3")).findFirst().get().guid();
    fuse.setProperty(
        A,
        "zrepl:cursors",
        String.format(Locale.ROOT, "push=%016x src_C_old=%016x gone=%016x", g2, g3, g3));

    Abstractions.StaleListing s =
        onFuse.stale(AbstractionQuery.all(), Optional.of(configured("push")));
    assertThat(lines(s.staleness().staleAbstractions()))
        .containsExactly(
            String.format(
                Locale.ROOT,
                "replication-cursor-property \"gone=%016x\" in tank/a zrepl:cursors",
                g3),
            String.format(
                Locale.ROOT,
                "replication-cursor-property \"src_C_old=%016x\" in tank/a zrepl:cursors",
                g3));
    assertThat(onFuse.destroy(s.staleness().staleAbstractions()))
        .allMatch(o -> o.error().isEmpty());
    assertThat(fuse.getProperties("tank/a", Set.of("zrepl:cursors")).get("zrepl:cursors").value())
        .isEqualTo(String.format(Locale.ROOT, "push=%016x", g2));

    onFuse.destroy(onFuse.list(AbstractionQuery.all()).found());
    assertThat(fuse.getProperties("tank/a", Set.of("zrepl:cursors")))
        .doesNotContainKey("zrepl:cursors");
  }

  @Test
  void releaseStaleOfOneJobTouchesNoOtherJob() {
    zfs.hold(A, "s1", "zrepl_STEP_J_push");
    zfs.hold(A, "s1", "zrepl_STEP_J_other");
    cursor(A, "s2", "push");
    cursor(A, "s2", "other");

    List<Abstractions.Outcome> out = abstractions.releaseStaleOf(A, "push");

    assertThat(out)
        .singleElement()
        .satisfies(o -> assertThat(o.abstraction().tag()).contains("zrepl_STEP_J_push"));
    assertThat(zfs.holds(A, "s1")).containsExactly("zrepl_STEP_J_other");
  }
}
