package org.zrepl.app.snapshot;

import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.zrepl.app.config.Hook;
import org.zrepl.app.config.Snapshotting;
import org.zrepl.domain.snapshot.PeriodicSchedule;
import org.zrepl.domain.snapshot.SnapshotNameFormat;

/**
 * A job's {@code snapshotting} section turned into what the snapshotter needs: the schedule, the
 * naming (absent for manual) and the hooks.
 */
public record SnapshotSetup(
    SnapshotSchedule schedule, Optional<SnapshotNameFormat> format, List<Hook> hooks) {

  public SnapshotSetup {
    java.util.Objects.requireNonNull(schedule, "schedule");
    java.util.Objects.requireNonNull(format, "format");
    hooks = List.copyOf(hooks);
  }

  /**
   * The setup for {@code snapshotting}; {@code localZone} is what {@code timestamp_location: Local}
   * and cron times mean (the clock's zone).
   */
  public static SnapshotSetup of(Snapshotting snapshotting, ZoneId localZone) {
    if (snapshotting instanceof Snapshotting.Periodic p) {
      return new SnapshotSetup(
          new SnapshotSchedule.Periodic(new PeriodicSchedule(p.interval(), p.prefix())),
          Optional.of(format(p.prefix(), p.timestamp(), localZone)),
          p.hooks());
    }
    if (snapshotting instanceof Snapshotting.Cron c) {
      return new SnapshotSetup(
          new SnapshotSchedule.Cron(c.cron(), localZone),
          Optional.of(format(c.prefix(), c.timestamp(), localZone)),
          c.hooks());
    }
    return new SnapshotSetup(new SnapshotSchedule.Manual(), Optional.empty(), List.of());
  }

  private static SnapshotNameFormat format(
      String prefix, Snapshotting.TimestampFormat ts, ZoneId localZone) {
    ZoneId zone =
        switch (ts.location()) {
          case "Local" -> localZone;
          case "UTC" -> java.time.ZoneOffset.UTC;
          default -> ZoneId.of(ts.location());
        };
    return new SnapshotNameFormat(prefix, ts.format(), zone);
  }
}
