package org.zrepl.app.daemon;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zrepl.app.config.Job.Snap;
import org.zrepl.app.job.ExecutorScheduler;
import org.zrepl.app.job.Scheduler;
import org.zrepl.app.job.SnapJob;
import org.zrepl.app.job.SnapJobState;
import org.zrepl.app.job.SnapperReport;
import org.zrepl.app.prune.PruneProgress;
import org.zrepl.app.replication.Sleeper;
import org.zrepl.app.snapshot.SnapshotListener;
import org.zrepl.app.snapshot.SnapshotOutcome;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.port.process.CommandRunner;
import org.zrepl.port.zfs.Zfs;

/**
 * The {@code snap} job in the daemon: {@link SnapJob} on its own thread. {@code signal snapshot}
 * and {@code signal wakeup} both run a round (snapshot, then prune) now, outside the schedule;
 * {@code reset} is refused: a snap job has no replication to abort.
 */
final class SnapJobRuntime implements JobRuntime {

  private static final Logger LOG = LoggerFactory.getLogger(SnapJobRuntime.class);

  private final SnapJob job;
  private final String type;
  private final JobThreads.Executor thread;
  private final AtomicBoolean busy = new AtomicBoolean();
  private volatile boolean stopped;

  private SnapJobRuntime(SnapJob job, String type, JobThreads.Executor thread) {
    this.job = job;
    this.type = type;
    this.thread = thread;
  }

  static SnapJobRuntime of(
      Snap config, Zfs zfs, CommandRunner hooks, Clock clock, Sleeper sleeper) {
    return running(
        config.name(),
        "snap",
        clock,
        scheduler ->
            SnapJob.of(
                config,
                zfs,
                hooks,
                clock,
                sleeper,
                scheduler,
                SnapshotListener.none(),
                Runnable::run));
  }

  /** The rounds of a job of {@code type} ({@code source}, say) built by {@code build}. */
  static SnapJobRuntime running(
      String name, String type, Clock clock, Function<Scheduler, SnapJob> build) {
    JobThreads.Executor thread = JobThreads.of(name, "snapshot");
    Scheduler scheduler = new ExecutorScheduler(thread, clock);
    return new SnapJobRuntime(build.apply(scheduler), type, thread);
  }

  @Override
  public String name() {
    return job.name();
  }

  @Override
  public String type() {
    return type;
  }

  @Override
  public void start() {
    thread.execute(job::start);
  }

  /** A round or start that ends with a throwable ends the loop: {@link JobThreads}. */
  @Override
  public void onDeath(Consumer<Throwable> listener) {
    thread.onDeath(listener);
  }

  @Override
  public void stop() {
    stopped = true;
    job.stop();
    thread.shutdown();
    try {
      thread.awaitTermination(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void wakeup() {
    roundNow();
  }

  /** A round now; refused for {@code manual} snapshotting, which would only prune. */
  @Override
  public void snapshotNow() {
    if (!job.snapshots()) {
      throw new SignalRefusedException(
          "job '"
              + name()
              + "' has manual snapshotting: it takes no snapshots itself (signal wakeup prunes"
              + " it now; for the daemon to take snapshots, configure snapshotting type periodic"
              + " or cron)");
    }
    roundNow();
  }

  private void roundNow() {
    onThread("round", job::runOnce);
  }

  /** Prunes now (without a snapshot), on the job's thread. */
  void pruneNow() {
    onThread("prune", job::pruneOnce);
  }

  /** Whether the job takes snapshots itself (not {@code manual}). */
  boolean snapshots() {
    return job.snapshots();
  }

  private void onThread(String what, Runnable action) {
    if (stopped) {
      throw new SignalRefusedException("job '" + name() + "' is stopping");
    }
    thread.execute(
        () -> {
          busy.set(true);
          try {
            LOG.info("job {}: {} on signal", name(), what);
            action.run();
          } catch (RuntimeException e) {
            LOG.error("job {}: {} failed", name(), what, e);
          } finally {
            busy.set(false);
          }
        });
  }

  @Override
  public void reset() {
    throw new SignalRefusedException(
        "job '" + name() + "' is a snap job: it has no replication to reset");
  }

  @Override
  public JobStatus status() {
    return status(job.state(), busy.get(), stopped, type, job.pruning(), job.snapper());
  }

  static JobStatus status(SnapJobState s, boolean busy, boolean stopped) {
    return status(s, busy, stopped, "snap");
  }

  static JobStatus status(SnapJobState s, boolean busy, boolean stopped, String type) {
    return status(s, busy, stopped, type, s.lastPrune().map(PruneProgress::of), Optional.empty());
  }

  /**
   * As above, with {@code pruning} the prune run in progress or the last one, and {@code snapper}
   * the snapshotter's state.
   */
  static JobStatus status(
      SnapJobState s,
      boolean busy,
      boolean stopped,
      String type,
      Optional<PruneProgress.Report> pruning,
      Optional<SnapperReport> snapper) {
    List<JobStatus.DatasetStatus> datasets = new ArrayList<>();
    for (Map.Entry<DatasetPath, SnapJobState.DatasetStatus> e : s.datasets().entrySet()) {
      SnapJobState.DatasetStatus d = e.getValue();
      String state = d.snapshot().map(SnapJobRuntime::state).orElse("pruned");
      String lastError =
          d.snapshot()
              .filter(o -> o instanceof SnapshotOutcome.Failed)
              .map(SnapshotOutcome::describe)
              .orElse(
                  d.prune().filter(p -> !p.failed().isEmpty()).map(p -> p.describe()).orElse(""));
      List<String> detail = new ArrayList<>();
      d.snapshot().ifPresent(o -> detail.add(o.describe()));
      d.prune()
          .ifPresent(
              p -> detail.add("pruned " + p.destroyed().size() + ", kept " + p.kept().size()));
      datasets.add(
          new JobStatus.DatasetStatus(
              e.getKey().toString(), state, String.join("; ", detail), 0, -1, lastError, ""));
    }
    String state = stopped ? "stopped" : busy ? "running" : s.running() ? "idle" : "stopped";
    return new JobStatus(
            s.job(),
            type,
            state,
            JobStatus.time(s.lastRoundAt()),
            JobStatus.time(s.nextDue()),
            s.errors(),
            datasets)
        .withViews(
            JobStatus.time(s.nextDue()),
            "",
            StatusViews.snapshotting(s.lastSnapshots(), snapper),
            StatusViews.pruning(pruning.stream().toList()));
  }

  private static String state(SnapshotOutcome o) {
    if (o instanceof SnapshotOutcome.Taken) {
      return "snapshotted";
    }
    if (o instanceof SnapshotOutcome.SkippedByHook) {
      return "skipped";
    }
    return "failed";
  }
}
