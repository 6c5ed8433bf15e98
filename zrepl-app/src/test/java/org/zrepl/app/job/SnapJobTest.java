package org.zrepl.app.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.zrepl.app.config.Job;
import org.zrepl.app.endpoint.UnmatchedFilterRules;
import org.zrepl.app.prune.FilesystemPruneResult;
import org.zrepl.app.replication.Sleeper;
import org.zrepl.app.snapshot.SnapshotListener;
import org.zrepl.app.snapshot.SnapshotOutcome;
import org.zrepl.app.snapshot.SnapshotRound;
import org.zrepl.app.testing.ManualClock;
import org.zrepl.app.testing.ManualScheduler;
import org.zrepl.app.testing.RecordingCommandRunner;
import org.zrepl.app.testing.TestConfigs;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.snapshot.SnapshotNameFormat;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.zfs.ZfsCapabilities;
import org.zrepl.zfs.fake.InMemoryZfs;

class SnapJobTest {

  private static final Instant T0 = Instant.parse("2024-05-01T00:00:00Z");
  private static final DatasetPath A = DatasetPath.of("pool/a");
  private static final DatasetPath B = DatasetPath.of("pool/b");
  private static final DatasetPath TMP = DatasetPath.of("pool/tmp");
  private static final SnapshotNameFormat NAMES = SnapshotNameFormat.dense("zrepl_");

  private static String yaml(String snapshotting) {
    return """
        jobs:
        - name: hourly
          type: snap
          filesystems: { "pool<": true, "pool/tmp": false }
          snapshotting:
        %s
          pruning:
            keep:
            - type: grid
              grid: 1x1h(keep=all) | 6x1h | 1x1d
              regex: "^zrepl_"
            - type: regex
              regex: "^keep_"
        """
        .formatted(snapshotting.indent(4).stripTrailing());
  }

  private static final String PERIODIC = "type: periodic\nprefix: zrepl_\ninterval: 1h";

  private final ManualClock clock = new ManualClock(T0);
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final InMemoryZfs zfs = new InMemoryZfs(ZfsCapabilities.openZfs21(), clock, 11);
  private final List<SnapshotRound> heard = new ArrayList<>();
  private final List<Runnable> notifications = new ArrayList<>();

  SnapJobTest() {
    zfs.createPool("pool");
    for (DatasetPath fs : List.of(A, B, TMP)) {
      zfs.createFilesystem(fs, Map.of(), false);
    }
  }

  private SnapJob job(String snapshotting) {
    Job.Snap config = (Job.Snap) TestConfigs.job(yaml(snapshotting), "hourly");
    SnapshotListener listener = heard::add;
    return SnapJob.of(
        config,
        zfs,
        new RecordingCommandRunner(),
        clock,
        Sleeper.system(),
        scheduler,
        listener,
        notifications::add);
  }

  private List<String> names(DatasetPath fs) {
    return zfs.listVersions(fs).stream().map(FilesystemVersion::name).toList();
  }

  private static String at(int hours) {
    return NAMES.name(T0.plus(Duration.ofHours(hours)));
  }

  @Test
  void aRoundListsBelowTheFiltersNamedDatasetsOnceNotEveryPool() {
    zfs.createPool("elsewhere");
    zfs.createFilesystem(DatasetPath.of("elsewhere/x"), Map.of(), false);
    SnapJob job = job(PERIODIC);
    int before = zfs.commandsStarted().size();

    SnapJobState s = job.runOnce();

    assertThat(s.errors()).isEmpty();
    List<List<String>> round = zfs.commandsStarted().subList(before, zfs.commandsStarted().size());
    List<List<String>> datasetListings =
        round.stream()
            .filter(a -> a.get(1).equals("list") && a.contains("filesystem,volume"))
            .toList();
    assertThat(datasetListings)
        .as("one listing of the datasets, of pool only (snapshotting and pruning share it)")
        .singleElement()
        .satisfies(a -> assertThat(a.get(a.size() - 1)).isEqualTo("pool"));
    assertThat(round).noneMatch(a -> a.contains("elsewhere") || a.contains("elsewhere/x"));
  }

  @Test
  void aDayOfHourlyRoundsLeavesExactlyWhatTheGridKeeps() {
    zfs.snapshot(List.of(A), "keep_me");
    SnapJob job = job(PERIODIC);
    job.start();
    assertThat(job.state().nextDue()).contains(T0);

    int rounds = scheduler.advance(Duration.ofHours(24));

    assertThat(rounds).isEqualTo(25);
    assertThat(scheduler.ranAt())
        .containsExactlyElementsOf(
            IntStream.rangeClosed(0, 24).mapToObj(h -> T0.plus(Duration.ofHours(h))).toList());
    // age 0 (keep=all), ages 1h..6h (one per hour), and the oldest of the 1x1d bucket
    List<String> expected = List.of(at(0), at(18), at(19), at(20), at(21), at(22), at(23), at(24));
    assertThat(names(B)).containsExactlyElementsOf(expected);
    List<String> withKept = new ArrayList<>(List.of("keep_me"));
    withKept.addAll(expected);
    assertThat(names(A)).containsExactlyElementsOf(withKept);
    assertThat(names(DatasetPath.of("pool"))).containsExactlyElementsOf(expected);
    assertThat(names(TMP)).isEmpty();

    SnapJobState s = job.state();
    assertThat(s.running()).isTrue();
    assertThat(s.lastRoundAt()).contains(T0.plus(Duration.ofHours(24)));
    assertThat(s.nextDue()).contains(T0.plus(Duration.ofHours(25)));
    assertThat(s.errors()).isEmpty();
    assertThat(s.lastSnapshots().orElseThrow().results())
        .containsOnlyKeys(DatasetPath.of("pool"), A, B)
        .allSatisfy((fs, o) -> assertThat(o).isEqualTo(new SnapshotOutcome.Taken(at(24))));
    FilesystemPruneResult pruneA =
        s.lastPrune().orElseThrow().filesystems().stream()
            .filter(f -> f.fs().equals(A))
            .findFirst()
            .orElseThrow();
    assertThat(pruneA.destroyed()).extracting(FilesystemVersion::name).containsExactly(at(17));
    assertThat(pruneA.kept()).hasSize(9);
    SnapJobState.DatasetStatus statusA = s.datasets().get(A);
    assertThat(s.datasets()).containsOnlyKeys(DatasetPath.of("pool"), A, B);
    assertThat(statusA.snapshot()).contains(new SnapshotOutcome.Taken(at(24)));
    assertThat(statusA.prune()).contains(pruneA);
  }

  @Test
  void eachRoundCountsTheFilterRulesNamingNoDataset() {
    String yaml =
        """
        jobs:
        - name: snap-unmatched
          type: snap
          filesystems: { "pool<": true, "pool/tmp": false, "pool/gone": true, "pool/old<": false }
          snapshotting:
            type: periodic
            prefix: zrepl_
            interval: 1h
          pruning:
            keep:
            - type: last_n
              count: 5
        """;
    SnapJob job =
        SnapJob.of(
            (Job.Snap) TestConfigs.job(yaml, "snap-unmatched"),
            zfs,
            new RecordingCommandRunner(),
            clock,
            Sleeper.system(),
            scheduler,
            heard::add,
            notifications::add);
    job.start();
    scheduler.advance(Duration.ofHours(2));

    // four listings without pool/gone and pool/old: the sync point at start (newest snapshot),
    // then the rounds at 0h, 1h and 2h
    assertThat(names(A)).hasSize(3);
    assertThat(UnmatchedFilterRules.counts()).containsEntry("snap-unmatched", 8L);
  }

  @Test
  void onRestartItSyncsToTheNewestSnapshot() {
    SnapJob first = job(PERIODIC);
    first.start();
    scheduler.advance(Duration.ofHours(2));
    first.stop();
    assertThat(first.state().running()).isFalse();
    assertThat(first.state().nextDue()).isEmpty();
    scheduler.advance(Duration.ofMinutes(20));
    assertThat(scheduler.ranAt()).hasSize(3);

    SnapJob second = job(PERIODIC);
    second.start();

    // the newest zrepl_ snapshot is from T0+2h: the next one is due one interval later
    assertThat(second.state().nextDue()).contains(T0.plus(Duration.ofHours(3)));
    scheduler.advance(Duration.ofMinutes(40));
    assertThat(names(A)).endsWith(at(2), at(3));
  }

  @Test
  void aSnapshotFromTheFutureIsAReportedError() {
    clock.set(T0.plus(Duration.ofHours(5)));
    zfs.snapshot(List.of(A), "zrepl_future");
    clock.jumpTo(T0);
    SnapJob job = job(PERIODIC);
    job.start();

    assertThat(job.state().errors())
        .containsExactly(
            "pool/a: snapshot @zrepl_future is from the future: creation=2024-05-01T05:00:00Z"
                + " now=2024-05-01T00:00:00Z");
    assertThat(job.state().nextDue()).contains(T0);
  }

  @Test
  void manualSnapshottingNeverSnapshotsByItselfButRunOncePrunes() {
    for (int h = 0; h < 30; h++) {
      zfs.snapshot(List.of(B), at(h));
      clock.advance(Duration.ofHours(1));
    }
    SnapJob job = job("type: manual");
    job.start();
    assertThat(job.state().nextDue()).isEmpty();
    assertThat(scheduler.advance(Duration.ofDays(3))).isZero();
    assertThat(names(B)).hasSize(30);

    SnapJobState s = job.runOnce();

    assertThat(s.lastSnapshots()).isEmpty();
    // newest is at 29h: ages 7h..30h share the 1x1d bucket, whose oldest (0h) stays
    assertThat(names(B))
        .containsExactly(at(0), at(23), at(24), at(25), at(26), at(27), at(28), at(29));
    assertThat(names(A)).isEmpty();
  }

  @Test
  void runOnceSnapshotsAndPrunesWithoutMovingTheSchedule() {
    SnapJob job = job(PERIODIC);
    SnapJobState s = job.runOnce();

    assertThat(names(A)).containsExactly(at(0));
    assertThat(s.lastRoundAt()).contains(T0);
    assertThat(s.running()).isFalse();
    assertThat(s.nextDue()).isEmpty();
    assertThat(scheduler.nextDue()).isEmpty();
  }

  @Test
  void stopCancelsThePendingRoundAndStartTwiceIsRefused() {
    SnapJob job = job(PERIODIC);
    job.start();
    assertThatThrownBy(job::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("job 'hourly' is already running");
    job.stop();
    assertThat(scheduler.advance(Duration.ofHours(5))).isZero();
    assertThat(names(A)).isEmpty();
  }

  @Test
  void dependantsHearOfEachRoundWithoutTheJobWaiting() {
    SnapJob job = job(PERIODIC);
    job.start();
    scheduler.advance(Duration.ofHours(1));

    assertThat(heard).isEmpty();
    assertThat(notifications).hasSize(2);
    notifications.forEach(Runnable::run);
    assertThat(heard).extracting(SnapshotRound::name).containsExactly(at(0), at(1));
  }

  @Test
  void cronRoundsFollowTheExpression() {
    SnapJob job = job("type: cron\nprefix: zrepl_\ncron: \"0 */6 * * *\"");
    job.start();
    assertThat(job.state().nextDue()).contains(T0.plus(Duration.ofHours(6)));
    scheduler.advance(Duration.ofHours(13));
    assertThat(names(A)).containsExactly(at(6), at(12));
    assertThat(job.state().nextDue()).contains(T0.plus(Duration.ofHours(18)));
  }
}
