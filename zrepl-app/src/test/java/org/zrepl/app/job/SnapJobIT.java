package org.zrepl.app.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.zrepl.app.config.Job;
import org.zrepl.app.replication.Sleeper;
import org.zrepl.app.snapshot.SnapshotListener;
import org.zrepl.app.testing.ManualClock;
import org.zrepl.app.testing.ManualScheduler;
import org.zrepl.app.testing.TestConfigs;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.snapshot.SnapshotNameFormat;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.zfs.Zfs;
import org.zrepl.zfs.ZfsFixture;
import org.zrepl.zfs.ZfsFusePoolFixture;
import org.zrepl.zfs.cli.CliZfs;
import org.zrepl.zfs.cli.LocalProcessLauncher;
import org.zrepl.zfs.process.LocalCommandRunner;

/**
 * A snap job on real ZFS (its own file-backed pool): a hand-driven clock runs a day of hourly
 * rounds, which create real snapshots (and run a real hook) and prune them. The clock drives names
 * and schedule; real creation times are all within the test's run, so the keep rules count ({@code
 * last_n}) rather than measure age.
 */
class SnapJobIT {

  @RegisterExtension static final ZfsFusePoolFixture POOL = new ZfsFusePoolFixture();

  @TempDir Path dir;

  @Test
  void aDayOfHourlyRoundsOnRealZfs() throws IOException {
    Zfs zfs = new CliZfs(new LocalProcessLauncher());
    ZfsFixture fx = POOL.fixture(zfs);
    DatasetPath a = fx.newRoot();
    DatasetPath b = fx.newRoot();
    DatasetPath excluded = fx.newRoot();
    zfs.snapshot(List.of(a), "keep_me");
    zfs.snapshot(List.of(excluded), "zrepl_untouched");
    Path log = dir.resolve("hook.log");
    Path hook = dir.resolve("hook.sh");
    Files.writeString(
        hook,
        "#!/bin/sh\necho \"$ZREPL_HOOKTYPE $ZREPL_FS $ZREPL_SNAPNAME $ZREPL_DRYRUN\" >> "
            + log
            + "\n");
    Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));

    String yaml =
        """
        jobs:
        - name: day
          type: snap
          filesystems: { "%1$s": true, "%2$s": true }
          snapshotting:
            type: periodic
            prefix: zrepl_
            interval: 1h
            hooks:
            - type: command
              path: %3$s
              filesystems: { "%1$s": true }
          pruning:
            keep:
            - type: last_n
              count: 5
              regex: "^zrepl_"
            - type: regex
              regex: "^keep_"
        """
            .formatted(a, b, hook);
    Job.Snap config = (Job.Snap) TestConfigs.job(yaml, "day");
    // real snapshots get real creation times: start the hand-driven clock at the real time so
    // that none of them is "from the future"
    Instant t0 =
        Clock.systemUTC().instant().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
    ManualClock clock = new ManualClock(t0);
    ManualScheduler scheduler = new ManualScheduler(clock);
    SnapJob job =
        SnapJob.of(
            config,
            zfs,
            new LocalCommandRunner(),
            clock,
            Sleeper.system(),
            scheduler,
            SnapshotListener.none(),
            Runnable::run);

    job.start();
    int rounds = scheduler.advance(Duration.ofHours(24));

    SnapshotNameFormat names = SnapshotNameFormat.dense("zrepl_");
    List<String> lastFive =
        IntStream.rangeClosed(20, 24)
            .mapToObj(h -> names.name(t0.plus(Duration.ofHours(h))))
            .toList();
    assertThat(rounds).isEqualTo(25);
    assertThat(snapshots(zfs, b)).containsExactlyElementsOf(lastFive);
    List<String> expectedA = new ArrayList<>(List.of("keep_me"));
    expectedA.addAll(lastFive);
    assertThat(snapshots(zfs, a)).containsExactlyElementsOf(expectedA);
    assertThat(snapshots(zfs, excluded)).containsExactly("zrepl_untouched");
    assertThat(job.state().errors()).isEmpty();
    assertThat(job.state().nextDue()).contains(t0.plus(Duration.ofHours(25)));

    List<String> hookLines = Files.readAllLines(log);
    assertThat(hookLines).hasSize(50);
    String first = names.name(t0);
    assertThat(hookLines.subList(0, 2))
        .containsExactly(
            "pre_snapshot " + a + " " + first + " false",
            "post_snapshot " + a + " " + first + " false");
  }

  private static List<String> snapshots(Zfs zfs, DatasetPath fs) {
    return zfs.listVersions(fs).stream()
        .filter(FilesystemVersion::isSnapshot)
        .map(FilesystemVersion::name)
        .toList();
  }
}
