package org.zrepl.app.job;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zrepl.app.config.Job;
import org.zrepl.app.config.Snapshotting;
import org.zrepl.app.endpoint.UnmatchedFilterRules;
import org.zrepl.app.prune.PruneProgress;
import org.zrepl.app.prune.PruneReport;
import org.zrepl.app.prune.PruneRun;
import org.zrepl.app.prune.PruneSide;
import org.zrepl.app.prune.PruneTargets;
import org.zrepl.app.replication.ListingCache;
import org.zrepl.app.replication.Sleeper;
import org.zrepl.app.snapshot.SnapshotHooks;
import org.zrepl.app.snapshot.SnapshotListener;
import org.zrepl.app.snapshot.SnapshotRound;
import org.zrepl.app.snapshot.SnapshotSchedule;
import org.zrepl.app.snapshot.SnapshotSetup;
import org.zrepl.app.snapshot.Snapshotter;
import org.zrepl.domain.dataset.DatasetFilter;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.port.endpoint.EndpointException;
import org.zrepl.port.process.CommandRunner;
import org.zrepl.port.zfs.DatasetInfo;
import org.zrepl.port.zfs.Zfs;
import org.zrepl.port.zfs.ZfsException;

/**
 * zrepl's {@code snap} job: snapshots its filesystems on its schedule and prunes them after every
 * round, with no replication. {@link #start()} organizes its own loop through the {@link
 * Scheduler}: the first round at the schedule's sync point, each following one after the previous
 * round ran. {@link #runOnce()} is one round now ({@code zrepl run --once}). Rounds never overlap.
 */
public final class SnapJob {

  private static final Logger LOG = LoggerFactory.getLogger(SnapJob.class);

  private final String name;
  private final DatasetFilter selects;
  private final Zfs zfs;
  private final SnapshotSchedule schedule;
  private final Optional<Snapshotter> snapshotter;
  private final Optional<Snapper> snapper;
  private final PruneRun prune;
  private final Clock clock;
  private final Scheduler scheduler;

  private final Object lock = new Object();
  private volatile SnapJobState state;
  private volatile Optional<PruneProgress> pruning = Optional.empty();
  private Scheduler.Scheduled pending;
  private long generation;

  SnapJob(
      String name,
      DatasetFilter selects,
      Zfs zfs,
      SnapshotSchedule schedule,
      Optional<Snapshotter> snapshotter,
      PruneRun prune,
      Clock clock,
      Scheduler scheduler) {
    this.name = Objects.requireNonNull(name, "name");
    this.selects = Objects.requireNonNull(selects, "selects");
    this.zfs = Objects.requireNonNull(zfs, "zfs");
    this.schedule = Objects.requireNonNull(schedule, "schedule");
    this.snapshotter = Objects.requireNonNull(snapshotter, "snapshotter");
    this.snapper = snapshotter.map(x -> new Snapper(schedule instanceof SnapshotSchedule.Cron));
    this.prune = Objects.requireNonNull(prune, "prune");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.state = SnapJobState.initial(name);
  }

  /**
   * The job as configured. {@code hooks} runs the snapshot hooks; {@code sleeper} waits for a new
   * snapshot name after a round within the same second; {@code listener} hears of every snapshot
   * round through {@code notifier}.
   */
  public static SnapJob of(
      Job.Snap config,
      Zfs zfs,
      CommandRunner hooks,
      Clock clock,
      Sleeper sleeper,
      Scheduler scheduler,
      SnapshotListener listener,
      Executor notifier) {
    // a round (snapshot, prune) lists below the filter's named datasets once, not every pool
    ListingCache listing =
        new ListingCache(
            zfs,
            caps -> Set.of(),
            caps -> Set.of(),
            config.filesystems().filter().reach().orElse(Set.of()));
    return of(
        config.name(),
        config.filesystems().filter(),
        config.snapshotting(),
        PruneRun.of(PruneTargets.of(config, PruneSide.LOCAL, listing), listing),
        listing,
        hooks,
        clock,
        sleeper,
        scheduler,
        listener,
        notifier);
  }

  /**
   * A {@code source} job's own rounds: its {@code snapshotting} and its pruning {@code prune} (see
   * {@code SourcePruning}), while the daemon serves it.
   */
  public static SnapJob source(
      Job.Source config,
      PruneRun prune,
      Zfs zfs,
      CommandRunner hooks,
      Clock clock,
      Sleeper sleeper,
      Scheduler scheduler) {
    return of(
        config.name(),
        config.filesystems().filter(),
        config.snapshotting(),
        prune,
        zfs,
        hooks,
        clock,
        sleeper,
        scheduler,
        SnapshotListener.none(),
        Runnable::run);
  }

  private static SnapJob of(
      String name,
      DatasetFilter selects,
      Snapshotting snapshotting,
      PruneRun prune,
      Zfs zfs,
      CommandRunner hooks,
      Clock clock,
      Sleeper sleeper,
      Scheduler scheduler,
      SnapshotListener listener,
      Executor notifier) {
    SnapshotSetup setup = SnapshotSetup.of(snapshotting, clock.getZone());
    Optional<Snapshotter> snapshotter =
        setup
            .format()
            .map(
                f ->
                    new Snapshotter(
                        zfs,
                        f,
                        new SnapshotHooks(setup.hooks(), hooks),
                        clock,
                        sleeper,
                        listener,
                        notifier));
    return new SnapJob(name, selects, zfs, setup.schedule(), snapshotter, prune, clock, scheduler);
  }

  /** Whether the job takes snapshots itself (not {@code manual}). */
  public boolean snapshots() {
    return snapshotter.isPresent();
  }

  public String name() {
    return name;
  }

  public SnapJobState state() {
    return state;
  }

  /** The snapshotter's state (zrepl's snapper states); empty for manual snapshotting. */
  public Optional<SnapperReport> snapper() {
    return snapper.map(Snapper::report);
  }

  /** The prune run in progress, or else the last one; empty before the first. */
  public Optional<PruneProgress.Report> pruning() {
    return pruning.map(PruneProgress::report);
  }

  /** Starts the loop: computes the first round from the existing snapshots and schedules it. */
  public void start() {
    synchronized (lock) {
      if (state.running()) {
        throw new IllegalStateException("job '" + name + "' is already running");
      }
      List<String> errors = new ArrayList<>();
      SnapshotSchedule.FirstRound first =
          SnapshotDue.firstRound(schedule, zfs, this::selected, clock.instant(), errors);
      errors.forEach(e -> LOG.error("job {}: {}", name, e));
      snapper.ifPresent(x -> x.syncUp(first.at(), errors, first.failed()));
      state = withLoop(true, first.at(), errors);
      scheduleAt(first.at());
    }
  }

  /** Stops the loop; a round in progress finishes. */
  public void stop() {
    synchronized (lock) {
      generation++;
      if (pending != null) {
        pending.cancel();
        pending = null;
      }
      state = withLoop(false, Optional.empty(), state.errors());
      snapper.ifPresent(Snapper::stopped);
    }
  }

  /**
   * One round now, outside the schedule: snapshot (unless snapshotting is manual), then prune.
   * Returns the state afterwards. Does not move the loop's next due time.
   */
  public SnapJobState runOnce() {
    synchronized (lock) {
      round(true, Optional.empty());
      return state;
    }
  }

  /** Prunes now, without a snapshot; returns the state afterwards. */
  public SnapJobState pruneOnce() {
    synchronized (lock) {
      round(false, Optional.empty());
      return state;
    }
  }

  private void scheduleAt(Optional<Instant> at) {
    if (at.isEmpty()) {
      pending = null;
      return;
    }
    long gen = generation;
    Instant due = at.get();
    pending = scheduler.schedule(due, () -> tick(gen, due));
  }

  private void tick(long gen, Instant due) {
    synchronized (lock) {
      if (gen != generation || !state.running()) {
        return;
      }
      round(true, Optional.of(due));
      Optional<Instant> next = schedule.after(due, clock.instant());
      state = withLoop(true, next, state.errors());
      scheduleAt(next);
      snapper.ifPresent(x -> x.waitingUntil(next));
    }
  }

  /**
   * A round: snapshots (if {@code snapshot} and not manual), then prunes. {@code due}: the schedule
   * time it was due at (empty outside the schedule), from which the snapshotter waits for the next.
   */
  private void round(boolean snapshot, Optional<Instant> due) {
    try (ListingCache.Session listed = zfs instanceof ListingCache c ? c.open() : null) {
      roundListed(snapshot, due);
    }
  }

  private void roundListed(boolean snapshot, Optional<Instant> due) {
    Instant at = clock.instant();
    List<String> errors = new ArrayList<>();
    Optional<SnapshotRound> snaps = state.lastSnapshots();
    if (snapshot && snapshotter.isPresent()) {
      snaps = snapshots(errors).or(() -> state.lastSnapshots());
      Optional<Instant> next = due.flatMap(d -> schedule.after(d, clock.instant()));
      if (next.isPresent()) {
        snapper.ifPresent(x -> x.waitingUntil(next));
      }
      // status shows this round while the pruning runs
      state =
          new SnapJobState(
              name,
              state.running(),
              Optional.of(at),
              snaps,
              state.lastPrune(),
              state.nextDue(),
              errors);
    }
    Optional<PruneReport> prune = state.lastPrune();
    PruneProgress progress = new PruneProgress(this.prune.target().side());
    pruning = Optional.of(progress);
    try {
      PruneReport p = this.prune.execute(progress);
      prune = Optional.of(p);
      p.filesystems().stream()
          .filter(f -> !f.failed().isEmpty())
          .forEach(f -> errors.add("prune " + f.describe()));
    } catch (ZfsException | EndpointException e) {
      errors.add("cannot list snapshots to prune: " + e.getMessage());
    } catch (RuntimeException e) {
      progress.failed(e.toString());
      throw e;
    }
    errors.forEach(e -> LOG.warn("job {}: {}", name, e));
    state =
        new SnapJobState(
            name, state.running(), Optional.of(at), snaps, prune, state.nextDue(), errors);
  }

  /** One snapshot round; its problems are lines in {@code errors}, and the snapshotter's. */
  private Optional<SnapshotRound> snapshots(List<String> errors) {
    return JobSnapshotting.round(snapshotter.orElseThrow(), this::selected, snapper, "", errors);
  }

  private List<DatasetPath> selected() {
    return UnmatchedFilterRules.select(
        selects,
        zfs.listDatasets(List.of(), Set.of()).stream().map(DatasetInfo::path).toList(),
        name);
  }

  private SnapJobState withLoop(boolean running, Optional<Instant> nextDue, List<String> errors) {
    SnapJobState s = state;
    return new SnapJobState(
        name, running, s.lastRoundAt(), s.lastSnapshots(), s.lastPrune(), nextDue, errors);
  }
}
