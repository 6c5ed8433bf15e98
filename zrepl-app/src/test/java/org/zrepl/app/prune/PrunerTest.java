package org.zrepl.app.prune;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.zrepl.app.testing.ManualClock;
import org.zrepl.domain.dataset.DatasetFilter;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.prune.KeepRule;
import org.zrepl.domain.prune.PruneDecision;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.zfs.ZfsCapabilities;
import org.zrepl.zfs.fake.InMemoryZfs;

class PrunerTest {

  private static final DatasetPath A = DatasetPath.of("pool/a");
  private static final DatasetPath B = DatasetPath.of("pool/b");
  private static final DatasetPath OTHER = DatasetPath.of("pool/other");
  private static final List<KeepRule> LAST_2 = List.of(new KeepRule.KeepLastN(2));

  private final ManualClock clock = new ManualClock(Instant.parse("2024-05-01T00:00:00Z"));

  /** A with s1..s5, B with s1..s3, OTHER with s1..s4, one hour apart. */
  private InMemoryZfs zfs(ZfsCapabilities caps) {
    InMemoryZfs zfs = new InMemoryZfs(caps, clock, 7);
    zfs.createPool("pool");
    for (DatasetPath fs : List.of(A, B, OTHER)) {
      zfs.createFilesystem(fs, Map.of(), false);
    }
    for (int i = 1; i <= 5; i++) {
      zfs.snapshot(
          i <= 3 ? List.of(A, B, OTHER) : i == 4 ? List.of(A, OTHER) : List.of(A), "s" + i);
      clock.advance(Duration.ofHours(1));
    }
    return zfs;
  }

  private static PruneTarget target(List<KeepRule> rules, PruneContexts contexts) {
    DatasetFilter filter = DatasetFilter.of(Map.of("pool<", "ok", "pool/other", "!"));
    return new PruneTarget("j", PruneSide.LOCAL, filter::matches, rules, contexts);
  }

  private static List<String> names(InMemoryZfs zfs, DatasetPath fs) {
    return zfs.listVersions(fs).stream().map(FilesystemVersion::name).toList();
  }

  private static List<String> names(List<FilesystemVersion> v) {
    return v.stream().map(FilesystemVersion::name).toList();
  }

  private static FilesystemPruneResult result(PruneReport report, DatasetPath fs) {
    return report.filesystems().stream().filter(f -> f.fs().equals(fs)).findFirst().orElseThrow();
  }

  @Test
  void destroysWhatNoRuleKeepsInOneBatchPerFilesystem() {
    InMemoryZfs zfs = zfs(ZfsCapabilities.openZfs21());
    int destroysBefore = zfs.processesStarted("destroy");

    PruneReport report = new Pruner(zfs).prune(target(LAST_2, PruneContexts.none()));

    assertThat(names(zfs, A)).containsExactly("s4", "s5");
    assertThat(names(zfs, B)).containsExactly("s2", "s3");
    assertThat(names(zfs, OTHER)).containsExactly("s1", "s2", "s3", "s4");
    assertThat(zfs.processesStarted("destroy") - destroysBefore).isEqualTo(2);
    assertThat(report.filesystems())
        .extracting(FilesystemPruneResult::fs)
        .containsExactly(DatasetPath.of("pool"), A, B);
    FilesystemPruneResult a = result(report, A);
    assertThat(names(a.destroyed())).containsExactly("s1", "s2", "s3");
    assertThat(names(a.kept())).containsExactly("s4", "s5");
    assertThat(a.failed()).isEmpty();
    assertThat(report.complete()).isTrue();
  }

  @Test
  void listsEverythingInAConstantNumberOfCalls() {
    InMemoryZfs zfs = zfs(ZfsCapabilities.openZfs21());
    Map<String, Integer> before = zfs.processesStarted();
    new Pruner(zfs).plan(target(LAST_2, PruneContexts.none()));
    Map<String, Integer> after = new HashMap<>(zfs.processesStarted());
    before.forEach((op, n) -> after.merge(op, -n, Integer::sum));
    after.values().removeIf(n -> n == 0);
    int total = after.values().stream().mapToInt(Integer::intValue).sum();
    assertThat(total).as("processes for plan(): %s", after).isLessThanOrEqualTo(2);
  }

  @Test
  void aFailedBatchIsRetriedOneByOne() {
    InMemoryZfs zfs = zfs(ZfsCapabilities.openZfs21());
    zfs.failNext(
        "destroy",
        new org.zrepl.port.zfs.ZfsException(
            List.of("zfs", "destroy", "pool/a@s1,s2,s3"), 1, "transient"));
    int before = zfs.processesStarted("destroy");

    PruneReport report = new Pruner(zfs).prune(target(LAST_2, PruneContexts.none()));

    assertThat(names(zfs, A)).containsExactly("s4", "s5");
    assertThat(names(result(report, A).destroyed())).containsExactly("s1", "s2", "s3");
    assertThat(report.complete()).isTrue();
    // the failed batch, three single destroys for A, one batch for B
    assertThat(zfs.processesStarted("destroy") - before).isEqualTo(5);
  }

  @Test
  void worksWithoutBatchDestroyOnZfsFuse() {
    InMemoryZfs zfs = zfs(ZfsCapabilities.zfsFuse());
    PruneReport report = new Pruner(zfs).prune(target(LAST_2, PruneContexts.none()));
    assertThat(names(zfs, A)).containsExactly("s4", "s5");
    assertThat(report.complete()).isTrue();
  }

  @Test
  void aHeldSnapshotIsReportedAndTheOthersAreDestroyed() {
    InMemoryZfs zfs = zfs(ZfsCapabilities.openZfs21());
    zfs.hold(A, "s2", "keepme");

    PruneReport report = new Pruner(zfs).prune(target(LAST_2, PruneContexts.none()));

    assertThat(names(zfs, A)).containsExactly("s2", "s4", "s5");
    assertThat(names(zfs, B)).containsExactly("s2", "s3");
    FilesystemPruneResult a = result(report, A);
    assertThat(names(a.destroyed())).containsExactly("s1", "s3");
    assertThat(a.failed())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.snapshot().name()).isEqualTo("s2");
              assertThat(f.error()).isNotBlank();
            });
    assertThat(a.describe()).startsWith("pool/a: destroyed 2, kept 2, failed 1 (@s2: ");
    assertThat(report.complete()).isFalse();
  }

  @Test
  void theIncrementalBaseSharedWithThePeerIsProtected() {
    InMemoryZfs zfs = zfs(ZfsCapabilities.openZfs21());
    FilesystemVersion s2 = zfs.listVersions(A).get(1);
    FilesystemVersion s1 = zfs.listVersions(A).get(0);
    // the peer has s1 and s2 of A: s2 is the newest common one
    PruneContexts peer = PruneContexts.peer(Map.of(A, List.of(s1, s2)), Map.of());

    PrunePreview preview = new Pruner(zfs).plan(target(LAST_2, peer));

    PruneDecision d = preview.plans().get(A).decisions().get(1);
    assertThat(d.snapshot().name()).isEqualTo("s2");
    assertThat(d.reason()).isEqualTo("protected: incremental base");
    assertThat(names(preview.plans().get(A).toDestroy())).containsExactly("s1", "s3");
    assertThat(names(preview.plans().get(B).toDestroy())).containsExactly("s1");
  }

  @Test
  void rulesCombineAndNoRulesDestroyNothing() {
    InMemoryZfs zfs = zfs(ZfsCapabilities.openZfs21());
    List<KeepRule> rules =
        List.of(new KeepRule.KeepLastN(1), new KeepRule.KeepRegex(Pattern.compile("^s1$"), false));
    PrunePreview preview = new Pruner(zfs).plan(target(rules, PruneContexts.none()));
    assertThat(names(preview.plans().get(A).toKeep())).containsExactly("s1", "s5");

    new Pruner(zfs).prune(target(List.of(), PruneContexts.none()));
    assertThat(names(zfs, A)).containsExactly("s1", "s2", "s3", "s4", "s5");
  }

  @Test
  void theReplicationCursorFeedsNotReplicated() {
    InMemoryZfs zfs = zfs(ZfsCapabilities.openZfs21());
    FilesystemVersion s3 = zfs.listVersions(A).get(2);
    var cursor = new org.zrepl.domain.prune.ReplicationCursor(s3.guid(), s3.createTxg());
    PruneContexts ctx = PruneContexts.peer(Map.of(), Map.of(A, cursor));
    List<KeepRule> rules = List.of(new KeepRule.KeepNotReplicated());

    PrunePreview preview = new Pruner(zfs).plan(target(rules, ctx));

    // the cursor's own snapshot is kept too, as in zrepl
    assertThat(names(preview.plans().get(A).toKeep())).containsExactly("s3", "s4", "s5");
    assertThat(preview.plans().get(B).toDestroy()).isEmpty();
    assertThat(Optional.of(preview.target().side())).contains(PruneSide.LOCAL);
  }
}
