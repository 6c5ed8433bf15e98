package org.zrepl.app.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.zrepl.app.replication.FakeWorld.filter;
import static org.zrepl.app.replication.FakeWorld.target;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.zrepl.app.endpoint.LocalReceiver;
import org.zrepl.app.endpoint.LocalSender;
import org.zrepl.app.endpoint.Protection;
import org.zrepl.app.endpoint.Protection.Kind;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.zfs.ZfsCapabilities;

/**
 * {@code replication.protection}: what each mode leaves behind after an interrupted step (step
 * holds, tentative cursors), and what is left once the next run completed it (cursor, last-received
 * hold), as zrepl 0.7 defines the modes.
 */
class ProtectionTest {

  static final String STEP = "zrepl_STEP_J_" + FakeWorld.JOB;
  static final String LAST = "zrepl_last_received_J_" + FakeWorld.JOB;
  static final DatasetPath A = DatasetPath.of("src/a");

  private static ReplicationReport run(FakeWorld w, Protection p, int attempts) {
    LocalSender sender = new LocalSender(w.zfs, filter("src/a"), FakeWorld.JOB, Set.of(), false, p);
    LocalReceiver receiver = w.receiver().protectedBy(p);
    return new ReplicationEngine(w.clock, w.clock::sleep)
        .run(sender, receiver, ReplicationPolicy.defaults().withMaxAttempts(attempts), w.events);
  }

  private static Set<String> bookmarks(FakeWorld w) {
    Set<String> out = new TreeSet<>();
    for (FilesystemVersion v : w.zfs.listVersions(A)) {
      if (v.isBookmark()) {
        out.add(v.name().replaceAll("_G_[0-9a-f]{16}_", "_G_<" + guidName(w, v.guid()) + ">_"));
      }
    }
    return out;
  }

  private static String guidName(FakeWorld w, long guid) {
    return w.zfs.listVersions(A).stream()
        .filter(v -> v.isSnapshot() && v.guid() == guid)
        .map(FilesystemVersion::name)
        .findFirst()
        .orElse("?");
  }

  private static FakeWorld world() {
    FakeWorld w = new FakeWorld(ZfsCapabilities.openZfs21());
    DatasetPath a = w.fs("src/a");
    w.write(a, "x".repeat(20_000));
    w.snapshot("s1", a);
    return w;
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void interruptedInitialStepLeavesWhatTheModePromises(Kind mode) {
    FakeWorld w = world();
    Protection p = new Protection(mode, Kind.RESUMABILITY);
    w.zfs.cutNextSendAfter(5_000);

    assertThat(run(w, p, 1).isSuccess()).isFalse();

    Set<String> holds = w.allHolds();
    switch (mode) {
      case RESUMABILITY -> {
        assertThat(holds).containsExactly("src/a@s1=" + STEP);
        assertThat(bookmarks(w)).isEmpty();
      }
      case INCREMENTAL -> {
        assertThat(holds).isEmpty();
        assertThat(bookmarks(w)).containsExactly("zrepl_CURSORTENTATIVE_G_<s1>_J_job");
      }
      case NOTHING -> {
        assertThat(holds).isEmpty();
        assertThat(bookmarks(w)).isEmpty();
      }
    }

    ReplicationReport next = run(w, p, 1);

    assertThat(next.isSuccess()).as(next.describe()).isTrue();
    assertThat(bookmarks(w))
        .as("the step's leftovers are gone; the cursor unless guarantee_nothing")
        .isEqualTo(mode == Kind.NOTHING ? Set.of() : Set.of("zrepl_CURSOR_G_<s1>_J_job"));
    // Like zrepl, the receiver picks the mode by whether the filesystem existed before the
    // receive: the resumed full receive finds the partially received filesystem, so the
    // incremental mode (here guarantee_resumability) keeps the last-received hold even when
    // the initial mode is guarantee_nothing.
    assertThat(w.allHolds()).isEqualTo(Set.of(target(A) + "@s1=" + LAST));
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void interruptedIncrementalStepLeavesWhatTheModePromises(Kind mode) {
    FakeWorld w = world();
    Protection p = new Protection(Kind.RESUMABILITY, mode);
    assertThat(run(w, p, 1).isSuccess()).isTrue();
    w.write(A, "y".repeat(20_000));
    w.snapshot("s2", A);
    w.zfs.cutNextSendAfter(5_000);

    assertThat(run(w, p, 1).isSuccess()).isFalse();

    switch (mode) {
      case RESUMABILITY -> {
        assertThat(w.allHolds())
            .containsExactlyInAnyOrder(
                "src/a@s1=" + STEP, "src/a@s2=" + STEP, target(A) + "@s1=" + LAST);
        assertThat(bookmarks(w)).containsExactly("zrepl_CURSOR_G_<s1>_J_job");
      }
      case INCREMENTAL -> {
        assertThat(w.allHolds()).containsExactly(target(A) + "@s1=" + LAST);
        assertThat(bookmarks(w))
            .containsExactlyInAnyOrder(
                "zrepl_CURSOR_G_<s1>_J_job",
                "zrepl_CURSORTENTATIVE_G_<s1>_J_job",
                "zrepl_CURSORTENTATIVE_G_<s2>_J_job");
      }
      case NOTHING -> {
        assertThat(w.allHolds()).containsExactly(target(A) + "@s1=" + LAST);
        assertThat(bookmarks(w)).containsExactly("zrepl_CURSOR_G_<s1>_J_job");
      }
    }

    ReplicationReport next = run(w, p, 1);

    assertThat(next.isSuccess()).as(next.describe()).isTrue();
    assertThat(w.snapshotNames(target(A))).isEqualTo(List.of("s1", "s2"));
    assertThat(bookmarks(w))
        .isEqualTo(mode == Kind.NOTHING ? Set.of() : Set.of("zrepl_CURSOR_G_<s2>_J_job"));
    assertThat(w.allHolds())
        .isEqualTo(mode == Kind.NOTHING ? Set.of() : Set.of(target(A) + "@s2=" + LAST));
  }
}
