package org.zrepl.app.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.zrepl.app.config.Filesystems;
import org.zrepl.app.config.Hook;
import org.zrepl.app.replication.Sleeper;
import org.zrepl.app.testing.ManualClock;
import org.zrepl.app.testing.RecordingCommandRunner;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.snapshot.SnapshotNameFormat;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.process.CommandOutcome;
import org.zrepl.port.process.CommandRequest;
import org.zrepl.port.zfs.ZfsCapabilities;
import org.zrepl.port.zfs.ZfsException;
import org.zrepl.zfs.fake.InMemoryZfs;

class SnapshotterTest {

  private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
  private static final DatasetPath A = DatasetPath.of("pool/a");
  private static final DatasetPath B = DatasetPath.of("pool/b");
  private static final DatasetPath C = DatasetPath.of("pool/c");

  private final ManualClock clock = new ManualClock(T0);
  private final RecordingCommandRunner runner = new RecordingCommandRunner();
  private final List<Runnable> notifications = new ArrayList<>();
  private final List<SnapshotRound> heard = new ArrayList<>();

  private InMemoryZfs zfs(ZfsCapabilities caps) {
    InMemoryZfs zfs = new InMemoryZfs(caps, clock, 1);
    zfs.createPool("pool");
    for (DatasetPath fs : List.of(A, B, C)) {
      zfs.createFilesystem(fs, Map.of(), false);
    }
    return zfs;
  }

  private Snapshotter snapshotter(InMemoryZfs zfs, List<Hook> hooks) {
    return new Snapshotter(
        zfs,
        SnapshotNameFormat.dense("zrepl_"),
        new SnapshotHooks(hooks, runner),
        clock,
        Sleeper.system(),
        heard::add,
        notifications::add);
  }

  private static List<String> names(InMemoryZfs zfs, DatasetPath fs) {
    return zfs.listVersions(fs).stream().map(FilesystemVersion::name).toList();
  }

  private static Hook.Command hook(String path, boolean fatal, Map<String, String> filter) {
    return new Hook.Command(path, Duration.ofSeconds(30), Filesystems.of(filter), fatal);
  }

  @Test
  void takesAllSnapshotsInOneAtomicCallWhereZfsCan() {
    InMemoryZfs zfs = zfs(ZfsCapabilities.openZfs21());
    SnapshotRound round = snapshotter(zfs, List.of()).snapshot(List.of(A, B, C));

    assertThat(zfs.processesStarted("snapshot")).isEqualTo(1);
    assertThat(round.name()).isEqualTo("zrepl_20240501_100000_000");
    assertThat(round.at()).isEqualTo(T0);
    assertThat(round.taken()).containsExactly(A, B, C);
    for (DatasetPath fs : List.of(A, B, C)) {
      assertThat(names(zfs, fs)).containsExactly("zrepl_20240501_100000_000");
    }
  }

  @Test
  void takesThemOneByOneOnZfsFuse() {
    InMemoryZfs zfs = zfs(ZfsCapabilities.zfsFuse());
    SnapshotRound round = snapshotter(zfs, List.of()).snapshot(List.of(A, B, C));

    assertThat(zfs.processesStarted("snapshot")).isEqualTo(3);
    assertThat(round.complete()).isTrue();
    assertThat(names(zfs, C)).containsExactly("zrepl_20240501_100000_000");
  }

  @Test
  void oneFailingFilesystemOnZfsFuseDoesNotStopTheOthers() {
    InMemoryZfs zfs = zfs(ZfsCapabilities.zfsFuse());
    zfs.failNext("snapshot", new ZfsException(List.of("zfs", "snapshot", "pool/a@x"), 1, "boom"));
    SnapshotRound round = snapshotter(zfs, List.of()).snapshot(List.of(A, B));

    assertThat(round.results().get(A)).isInstanceOf(SnapshotOutcome.Failed.class);
    assertThat(round.results().get(A).describe()).contains("boom");
    assertThat(round.taken()).containsExactly(B);
    assertThat(names(zfs, A)).isEmpty();
  }

  @Test
  void hooksGetZreplsEnvironment() {
    InMemoryZfs zfs = zfs(ZfsCapabilities.openZfs21());
    snapshotter(zfs, List.of(hook("/bin/h", false, Map.of("pool/a", "ok"))))
        .snapshot(List.of(A, B));

    List<CommandRequest> r = runner.requests();
    assertThat(r).hasSize(2);
    assertThat(r.get(0).environment())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "ZREPL_HOOKTYPE", "pre_snapshot",
                "ZREPL_FS", "pool/a",
                "ZREPL_SNAPNAME", "zrepl_20240501_100000_000",
                "ZREPL_DRYRUN", "false",
                "ZREPL_TIMEOUT", "30"));
    assertThat(r.get(0).timeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(r.get(1).environment()).containsEntry("ZREPL_HOOKTYPE", "post_snapshot");
  }

  @Test
  void fatalPreHookSkipsOnlyThatFilesystemAndRunsPostEdgesOfEarlierHooksInReverse() {
    InMemoryZfs zfs = zfs(ZfsCapabilities.openZfs21());
    runner.answer("/bin/second pre_snapshot pool/a", new CommandOutcome.Exited(1, "nope"));
    List<Hook> hooks =
        List.of(
            hook("/bin/first", false, Map.of("<", "ok")),
            hook("/bin/second", true, Map.of("<", "ok")),
            hook("/bin/third", false, Map.of("<", "ok")));
    SnapshotRound round = snapshotter(zfs, hooks).snapshot(List.of(A, B));

    assertThat(round.results().get(A)).isInstanceOf(SnapshotOutcome.SkippedByHook.class);
    assertThat(round.results().get(A).describe())
        .isEqualTo("skipped: pre_snapshot hook /bin/second for pool/a: exit status 1");
    assertThat(round.taken()).containsExactly(B);
    assertThat(names(zfs, A)).isEmpty();
    assertThat(names(zfs, B)).hasSize(1);
    assertThat(runner.calls())
        .containsExactly(
            "/bin/first pre_snapshot pool/a",
            "/bin/second pre_snapshot pool/a",
            "/bin/first pre_snapshot pool/b",
            "/bin/second pre_snapshot pool/b",
            "/bin/third pre_snapshot pool/b",
            "/bin/first post_snapshot pool/a",
            "/bin/third post_snapshot pool/b",
            "/bin/second post_snapshot pool/b",
            "/bin/first post_snapshot pool/b");
  }

  @Test
  void nonFatalPreHookFailureStillSnapshotsButSkipsItsPostEdge() {
    InMemoryZfs zfs = zfs(ZfsCapabilities.openZfs21());
    runner.answer("/bin/h", new CommandOutcome.TimedOut(Duration.ofSeconds(30), ""));
    SnapshotRound round =
        snapshotter(zfs, List.of(hook("/bin/h", false, Map.of("<", "ok")))).snapshot(List.of(A));

    assertThat(round.taken()).containsExactly(A);
    assertThat(runner.calls()).containsExactly("/bin/h pre_snapshot pool/a");
    assertThat(round.hooks()).singleElement().extracting(HookRun::ok).isEqualTo(false);
  }

  @Test
  void dependantsAreNotifiedThroughTheExecutorNotInline() {
    InMemoryZfs zfs = zfs(ZfsCapabilities.openZfs21());
    SnapshotRound round = snapshotter(zfs, List.of()).snapshot(List.of(A));

    assertThat(heard).isEmpty();
    assertThat(notifications).hasSize(1);
    notifications.get(0).run();
    assertThat(heard).containsExactly(round);
  }

  @Test
  void aFailingListenerDoesNotBreakTheRound() {
    InMemoryZfs zfs = zfs(ZfsCapabilities.openZfs21());
    Snapshotter s =
        new Snapshotter(
            zfs,
            SnapshotNameFormat.dense("zrepl_"),
            SnapshotHooks.none(),
            clock,
            Sleeper.system(),
            r -> {
              throw new IllegalStateException("listener broke");
            },
            Runnable::run);
    assertThat(s.snapshot(List.of(A)).taken()).containsExactly(A);
  }

  private Snapshotter sleeping(InMemoryZfs zfs, SnapshotNameFormat format, List<Duration> slept) {
    return new Snapshotter(
        zfs,
        format,
        SnapshotHooks.none(),
        clock,
        d -> {
          slept.add(d);
          clock.advance(d);
        },
        heard::add,
        notifications::add);
  }

  @Test
  void aSecondRoundWithinTheSameSecondWaitsForTheNextSecondAndTakesANewName() {
    InMemoryZfs zfs = zfs(ZfsCapabilities.zfsFuse());
    List<Duration> slept = new ArrayList<>();
    Snapshotter s = sleeping(zfs, SnapshotNameFormat.dense("zrepl_"), slept);
    clock.set(T0.plusMillis(300));
    SnapshotRound first = s.snapshot(List.of(A, B));
    clock.advance(Duration.ofMillis(400)); // e.g. zrepl signal snapshot right after the round

    SnapshotRound second = s.snapshot(List.of(A, B));

    assertThat(slept).containsExactly(Duration.ofMillis(300));
    assertThat(second.taken()).containsExactly(A, B);
    assertThat(second.name()).isEqualTo("zrepl_20240501_100001_000");
    assertThat(second.at()).isEqualTo(T0.plusSeconds(1));
    assertThat(names(zfs, A)).containsExactly(first.name(), second.name());
    assertThat(notifications).hasSize(2);
  }

  @Test
  void roundsInDifferentSecondsDoNotWait() {
    InMemoryZfs zfs = zfs(ZfsCapabilities.openZfs21());
    List<Duration> slept = new ArrayList<>();
    Snapshotter s = sleeping(zfs, SnapshotNameFormat.dense("zrepl_"), slept);
    s.snapshot(List.of(A));
    clock.advance(Duration.ofSeconds(1));

    assertThat(s.snapshot(List.of(A)).taken()).containsExactly(A);
    assertThat(slept).isEmpty();
  }

  @Test
  void aFormatCoarserThanSecondsRefusesTheRoundNamingTheExistingSnapshot() {
    InMemoryZfs zfs = zfs(ZfsCapabilities.openZfs21());
    List<Duration> slept = new ArrayList<>();
    SnapshotNameFormat minutes =
        new SnapshotNameFormat("zrepl_", "2006-01-02_15-04", java.time.ZoneOffset.UTC);
    Snapshotter s = sleeping(zfs, minutes, slept);
    SnapshotRound first = s.snapshot(List.of(A));

    SnapshotRound second = s.snapshot(List.of(A));

    assertThat(first.taken()).containsExactly(A);
    assertThat(second.taken()).isEmpty();
    assertThat(second.results().get(A).describe())
        .isEqualTo(
            "failed to take @zrepl_2024-05-01_10-00: this job took @zrepl_2024-05-01_10-00"
                + " already and the snapshot name format still gives that name at"
                + " 2024-05-01T10:00:01Z; the next round will get a new name");
    assertThat(slept).containsExactly(Duration.ofSeconds(1));
    assertThat(zfs.processesStarted("snapshot")).isEqualTo(1);
    assertThat(notifications).as("a refused round notifies nobody").hasSize(1);
  }
}
