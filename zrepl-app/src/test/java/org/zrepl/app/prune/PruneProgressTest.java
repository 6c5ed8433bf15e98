package org.zrepl.app.prune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.zrepl.app.prune.PruneProgress.Filesystem;
import org.zrepl.app.prune.PruneProgress.State;
import org.zrepl.app.testing.ManualClock;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.prune.KeepRule;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.zfs.ZfsCapabilities;
import org.zrepl.port.zfs.ZfsException;
import org.zrepl.zfs.fake.InMemoryZfs;

/** A prune run's progress as zrepl's pruner reports it: Plan, Exec (pending, completed), Done. */
class PruneProgressTest {

  private static final DatasetPath A = DatasetPath.of("pool/a");
  private static final DatasetPath B = DatasetPath.of("pool/b");
  private static final long WAIT_SECONDS = 30;

  private final ManualClock clock = new ManualClock(Instant.parse("2024-05-01T00:00:00Z"));
  private final InMemoryZfs zfs = new InMemoryZfs(ZfsCapabilities.openZfs21(), clock, 7);

  /** A with s1..s5, B with s1..s3, one hour apart. */
  PruneProgressTest() {
    zfs.createPool("pool");
    zfs.createFilesystem(A, Map.of(), false);
    zfs.createFilesystem(B, Map.of(), false);
    for (int i = 1; i <= 5; i++) {
      zfs.snapshot(i <= 3 ? List.of(A, B) : List.of(A), "s" + i);
      clock.advance(Duration.ofHours(1));
    }
  }

  private static PruneTarget lastTwo() {
    return new PruneTarget(
        "j",
        PruneSide.SENDER,
        fs -> !fs.equals(DatasetPath.of("pool")),
        List.of(new KeepRule.KeepLastN(2)),
        PruneContexts.none());
  }

  /** The local ZFS, whose destroy on {@code blocked} waits for {@code release}. */
  private PruneEndpoint blockingOn(
      DatasetPath blocked, CountDownLatch entered, CountDownLatch release) {
    PruneEndpoint local = PruneEndpoint.of(zfs);
    return new PruneEndpoint() {
      @Override
      public List<DatasetPath> filesystems() {
        return local.filesystems();
      }

      @Override
      public Map<DatasetPath, List<FilesystemVersion>> listVersions(
          Collection<DatasetPath> filesystems) {
        return local.listVersions(filesystems);
      }

      @Override
      public void destroy(DatasetPath filesystem, List<FilesystemVersion> snapshots) {
        if (filesystem.equals(blocked)) {
          entered.countDown();
          try {
            if (!release.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
              throw new IllegalStateException("never released");
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
          }
        }
        local.destroy(filesystem, snapshots);
      }
    };
  }

  @Test
  void whileADestroyRunsTheReportShowsTheCompletedAndThePendingFilesystems() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    PruneProgress progress = new PruneProgress(PruneSide.SENDER);
    assertThat(progress.report().state()).isEqualTo(State.PLAN);
    assertThat(progress.report().filesystems()).isEmpty();

    CompletableFuture<PruneReport> run =
        CompletableFuture.supplyAsync(
            () -> new Pruner(blockingOn(B, entered, release)).prune(lastTwo(), progress));
    assertThat(entered.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();

    PruneProgress.Report mid = progress.report();
    assertThat(mid.state()).isEqualTo(State.EXEC);
    assertThat(mid.state().word()).isEqualTo("Exec");
    assertThat(mid.side()).isEqualTo(PruneSide.SENDER);
    assertThat(mid.completed())
        .as("A's three oldest are gone")
        .containsExactly(new Filesystem(A, 5, 3, true, 3, 0, ""));
    assertThat(mid.pending())
        .as("B's destroy of its oldest has not returned")
        .containsExactly(new Filesystem(B, 3, 1, false, 0, 0, ""));
    assertThat(run).isNotDone();

    release.countDown();
    run.get(WAIT_SECONDS, TimeUnit.SECONDS);
    PruneProgress.Report end = progress.report();
    assertThat(end.state()).isEqualTo(State.DONE);
    assertThat(end.pending()).isEmpty();
    assertThat(end.completed())
        .containsExactly(
            new Filesystem(A, 5, 3, true, 3, 0, ""), new Filesystem(B, 3, 1, true, 1, 0, ""));
  }

  @Test
  void aListingThatFailsIsPlanErrWithTheCause() {
    PruneEndpoint broken =
        new PruneEndpoint() {
          @Override
          public List<DatasetPath> filesystems() {
            throw new ZfsException(List.of("zfs", "list"), 1, "pool I/O is currently suspended");
          }

          @Override
          public Map<DatasetPath, List<FilesystemVersion>> listVersions(
              Collection<DatasetPath> filesystems) {
            return Map.of();
          }

          @Override
          public void destroy(DatasetPath filesystem, List<FilesystemVersion> snapshots) {}
        };
    PruneProgress progress = new PruneProgress(PruneSide.RECEIVER);

    assertThatThrownBy(() -> new Pruner(broken).prune(lastTwo(), progress))
        .isInstanceOf(ZfsException.class);

    PruneProgress.Report r = progress.report();
    assertThat(r.state()).isEqualTo(State.PLAN_ERR);
    assertThat(r.state().word()).isEqualTo("PlanErr");
    assertThat(r.error()).contains("pool I/O is currently suspended");
    assertThat(r.filesystems()).isEmpty();
  }

  @Test
  void aSnapshotZfsRefusesToDestroyMakesItExecErr() {
    zfs.hold(A, "s1", "keepme");
    PruneProgress progress = new PruneProgress(PruneSide.LOCAL);

    new Pruner(zfs).prune(lastTwo(), progress);

    PruneProgress.Report r = progress.report();
    assertThat(r.state()).isEqualTo(State.EXEC_ERR);
    Filesystem a = r.completed().get(0);
    assertThat(a.fs()).isEqualTo(A);
    assertThat(a.destroyed()).isEqualTo(2);
    assertThat(a.failed()).isEqualTo(1);
    assertThat(a.toDestroy()).isEqualTo(3);
    assertThat(a.error()).startsWith("@s1: ");
    assertThat(r.completed().get(1)).isEqualTo(new Filesystem(B, 3, 1, true, 1, 0, ""));
  }

  @Test
  void aFinishedReportReadsAsAllCompleted() {
    PruneReport report = new Pruner(zfs).prune(lastTwo());

    PruneProgress.Report r = PruneProgress.of(report);

    assertThat(r.state()).isEqualTo(State.DONE);
    assertThat(r.filesystems())
        .containsExactly(
            new Filesystem(A, 5, 3, true, 3, 0, ""), new Filesystem(B, 3, 1, true, 1, 0, ""));
  }

  @Test
  void aRunThatIsOverKeepsItsState() {
    PruneProgress progress = new PruneProgress(PruneSide.LOCAL);
    new Pruner(zfs).prune(lastTwo(), progress);

    progress.failed("too late");

    assertThat(progress.report().state()).isEqualTo(State.DONE);
    assertThat(progress.report().error()).isEmpty();
  }
}
