package org.zrepl.app.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.zrepl.app.config.CronSpec;
import org.zrepl.app.config.Job;
import org.zrepl.app.config.Snapshotting;
import org.zrepl.app.testing.TestConfigs;
import org.zrepl.domain.snapshot.PeriodicSchedule;

class SnapshotSetupTest {

  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final Instant AT = Instant.parse("2024-05-14T21:16:23Z");

  @Test
  void periodicUsesPrefixIntervalAndFormat() {
    SnapshotSetup s =
        SnapshotSetup.of(
            new Snapshotting.Periodic(
                "zrepl_", Duration.ofMinutes(10), Snapshotting.TimestampFormat.DEFAULT, List.of()),
            BERLIN);
    assertThat(s.schedule())
        .isEqualTo(
            new SnapshotSchedule.Periodic(new PeriodicSchedule(Duration.ofMinutes(10), "zrepl_")));
    assertThat(s.format().orElseThrow().name(AT)).isEqualTo("zrepl_20240514_211623_000");
  }

  @Test
  void localTimestampsAndCronUseTheClocksZone() {
    SnapshotSetup s =
        SnapshotSetup.of(
            new Snapshotting.Cron(
                "auto_",
                CronSpec.parse("0 3 * * *"),
                new Snapshotting.TimestampFormat("iso-8601", "Local"),
                List.of()),
            BERLIN);
    assertThat(s.format().orElseThrow().name(AT)).isEqualTo("auto_2024-05-14T23:16:23.000_0200");
    // 03:00 in Berlin is 01:00 UTC in summer
    assertThat(s.schedule().first(java.util.Map.of(), AT).at())
        .contains(Instant.parse("2024-05-15T01:00:00Z"));
  }

  @Test
  void manualHasNoNamesAndNoHooks() {
    SnapshotSetup s = SnapshotSetup.of(new Snapshotting.Manual(), BERLIN);
    assertThat(s.schedule()).isInstanceOf(SnapshotSchedule.Manual.class);
    assertThat(s.format()).isEmpty();
    assertThat(s.hooks()).isEmpty();
  }

  @Test
  void utcTimestampFormatIsZrepl06sNameOfTimestampFormatInUtc() {
    for (String snapshotting :
        List.of(
            "{ type: periodic, prefix: zrepl_, interval: 10m, utc_timestamp_format: human }",
            "{ type: cron, prefix: zrepl_, cron: '0 3 * * *', utc_timestamp_format: human }")) {
      Job.Snap job =
          (Job.Snap)
              TestConfigs.job(
                  """
                  jobs:
                  - name: s
                    type: snap
                    filesystems: { "pool<": true }
                    snapshotting: %s
                    pruning: { keep: [] }
                  """
                      .formatted(snapshotting),
                  "s");
      SnapshotSetup s = SnapshotSetup.of(job.snapshotting(), BERLIN);
      assertThat(s.format().orElseThrow().name(AT))
          .as(snapshotting)
          .isEqualTo("zrepl_2024-05-14_21:16:23");
    }
  }
}
