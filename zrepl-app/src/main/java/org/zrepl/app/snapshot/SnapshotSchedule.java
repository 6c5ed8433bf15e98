package org.zrepl.app.snapshot;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.zrepl.app.config.CronSpec;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.snapshot.PeriodicSchedule;
import org.zrepl.domain.snapshot.SyncPoint;
import org.zrepl.domain.version.FilesystemVersion;

/**
 * When snapshot rounds are due. Computes times; never reads a clock ({@code now} is an argument)
 * and never waits.
 */
public sealed interface SnapshotSchedule
    permits SnapshotSchedule.Periodic, SnapshotSchedule.Cron, SnapshotSchedule.Manual {

  /**
   * The first round after start, from the filesystems' existing snapshots; empty for manual.
   * Problems (a snapshot from the future) are in {@link FirstRound#errors()}.
   */
  FirstRound first(Map<DatasetPath, List<FilesystemVersion>> versions, Instant now);

  /** The round after the one that was due at {@code due} and has just run; empty for manual. */
  Optional<Instant> after(Instant due, Instant now);

  /**
   * When the first round is due, and what was wrong with the existing snapshots; {@code failed}
   * when no sync point could be found at all (zrepl's {@code SyncUpErrWait}).
   */
  record FirstRound(Optional<Instant> at, List<String> errors, boolean failed) {
    public FirstRound {
      Objects.requireNonNull(at, "at");
      errors = List.copyOf(errors);
    }

    /** A sync point found (perhaps with complaints about some filesystems). */
    public FirstRound(Optional<Instant> at, List<String> errors) {
      this(at, errors, false);
    }
  }

  /**
   * zrepl's {@code periodic}: on start, syncs to the newest prefixed snapshot (due one interval
   * after its creation, see {@link PeriodicSchedule#syncPoint}); then every interval. If every
   * filesystem has a snapshot from the future no sync point exists: that is reported and the job
   * retries one interval later.
   */
  record Periodic(PeriodicSchedule schedule) implements SnapshotSchedule {
    public Periodic {
      Objects.requireNonNull(schedule, "schedule");
    }

    @Override
    public FirstRound first(Map<DatasetPath, List<FilesystemVersion>> versions, Instant now) {
      SyncPoint sync = schedule.syncPoint(versions, now);
      if (sync instanceof SyncPoint.EveryFilesystemFailed failed) {
        return new FirstRound(
            Optional.of(now.plus(schedule.interval())), List.of(failed.message()), true);
      }
      SyncPoint.At at = (SyncPoint.At) sync;
      List<String> errors =
          new TreeMap<>(at.errors())
              .entrySet().stream().map(e -> e.getKey() + ": " + e.getValue().message()).toList();
      return new FirstRound(Optional.of(at.at().isBefore(now) ? now : at.at()), errors);
    }

    /** One interval after {@code due}; if the round overran whole intervals, the next one ahead. */
    @Override
    public Optional<Instant> after(Instant due, Instant now) {
      Instant next = due.plus(schedule.interval());
      while (!next.isAfter(now)) {
        next = next.plus(schedule.interval());
      }
      return Optional.of(next);
    }
  }

  /** zrepl's {@code cron}: at the times the expression names, in {@code zone}. */
  record Cron(CronSpec cron, ZoneId zone) implements SnapshotSchedule {
    public Cron {
      Objects.requireNonNull(cron, "cron");
      Objects.requireNonNull(zone, "zone");
    }

    @Override
    public FirstRound first(Map<DatasetPath, List<FilesystemVersion>> versions, Instant now) {
      return new FirstRound(next(now), List.of());
    }

    @Override
    public Optional<Instant> after(Instant due, Instant now) {
      return next(due.isAfter(now) ? due : now);
    }

    private Optional<Instant> next(Instant after) {
      return cron.next(after.atZone(zone)).map(z -> z.toInstant());
    }
  }

  /** zrepl's {@code manual}: never by itself. */
  record Manual() implements SnapshotSchedule {
    @Override
    public FirstRound first(Map<DatasetPath, List<FilesystemVersion>> versions, Instant now) {
      return new FirstRound(Optional.empty(), List.of());
    }

    @Override
    public Optional<Instant> after(Instant due, Instant now) {
      return Optional.empty();
    }
  }
}
