package org.zrepl.app.daemon;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zrepl.app.config.Job;
import org.zrepl.app.config.Job.Local;
import org.zrepl.app.config.Job.Pull;
import org.zrepl.app.config.Job.Push;
import org.zrepl.app.job.ExecutorScheduler;
import org.zrepl.app.job.LocalJob;
import org.zrepl.app.job.ReplicationJob;
import org.zrepl.app.job.ReplicationJobState;
import org.zrepl.app.job.Scheduler;
import org.zrepl.app.remote.Transports;
import org.zrepl.port.transport.Rpc;

/**
 * A {@code local}, {@code push} or {@code pull} job in the daemon: a local or push job replicates
 * after each snapshot round of its snapshotter (and on {@code zrepl signal wakeup}); a pull on its
 * {@code interval} (first at start), or on {@code zrepl signal wakeup} when the interval is {@code
 * manual}.
 */
final class ActiveJobRuntime implements JobRuntime {
  private static final Logger LOG = LoggerFactory.getLogger(ActiveJobRuntime.class);

  /** How long {@link #stop()} waits for the aborted run to clean up. */
  static final Duration STOP_WAIT = Duration.ofMinutes(1);

  private final String name;
  private final String type;
  private final ReplicationJob job;
  private final Optional<Rpc.Peer> client;
  private final JobThreads.Executor thread;
  private final Scheduler scheduler;
  private final Clock clock;
  private final Optional<Duration> pullEvery;
  private final JobMetrics metrics = new JobMetrics();
  private volatile boolean stopped;

  /** Pull: when the interval next wakes the job up (for status). */
  private volatile Optional<Instant> nextPull = Optional.empty();

  private ActiveJobRuntime(
      String type,
      ReplicationJob job,
      Optional<Rpc.Peer> client,
      JobThreads.Executor thread,
      Scheduler scheduler,
      Clock clock,
      Optional<Duration> pullEvery) {
    this.name = job.name();
    this.type = type;
    this.job = job;
    this.client = client;
    this.thread = thread;
    this.scheduler = scheduler;
    this.clock = clock;
    this.pullEvery = pullEvery;
    job.onInvocation(metrics::record);
  }

  static ActiveJobRuntime local(Local c, JobDependencies deps) {
    JobThreads.Executor thread = JobThreads.of(c.name(), "local");
    Scheduler scheduler = new ExecutorScheduler(thread, deps.clock());
    ReplicationJob job =
        LocalJob.of(c, deps.zfs(), deps.hooks(), deps.clock(), scheduler, deps.sleeper(), thread);
    return new ActiveJobRuntime(
        "local", job, Optional.empty(), thread, scheduler, deps.clock(), Optional.empty());
  }

  static ActiveJobRuntime push(Push c, ActiveSides sides, Transports transports, Clock clock) {
    return active("push", c, sides, transports, clock, Optional.empty());
  }

  static ActiveJobRuntime pull(Pull c, ActiveSides sides, Transports transports, Clock clock) {
    return active("pull", c, sides, transports, clock, c.interval().every());
  }

  private static ActiveJobRuntime active(
      String type,
      Job c,
      ActiveSides sides,
      Transports transports,
      Clock clock,
      Optional<Duration> pullEvery) {
    JobThreads.Executor thread = JobThreads.of(c.name(), type);
    Scheduler scheduler = new ExecutorScheduler(thread, clock);
    ActiveSides.Active active;
    try {
      active = sides.open(c, transports, scheduler, thread);
    } catch (RuntimeException e) {
      thread.shutdownNow();
      throw e;
    }
    return new ActiveJobRuntime(
        type, active.job(), Optional.of(active.peer()), thread, scheduler, clock, pullEvery);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String type() {
    return type;
  }

  @Override
  public void start() {
    job.start();
    pullEvery.ifPresent(
        every -> {
          job.wakeup();
          schedulePull(every);
        });
  }

  private void schedulePull(Duration every) {
    Instant due = clock.instant().plus(every);
    nextPull = Optional.of(due);
    scheduler.schedule(
        due,
        () -> {
          if (!stopped) {
            job.wakeup();
            schedulePull(every);
          }
        });
  }

  /**
   * A snapshot round or an invocation that ends with a throwable (escaped the engine) leaves the
   * job in an unknown state: {@link JobThreads}.
   */
  @Override
  public void onDeath(Consumer<Throwable> listener) {
    thread.onDeath(listener);
  }

  @Override
  public void stop() {
    stopped = true;
    job.stop();
    // Like zrepl cancelling its context: the run in progress stops at its next read, cleans up
    // (holds released, resumable state kept where ZFS has it), and the thread ends.
    job.abort("the job is stopping (daemon stop or reload)");
    thread.shutdown();
    try {
      if (!thread.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("job {}: still running {} after stop; interrupting it", name, STOP_WAIT);
        thread.shutdownNow();
      }
    } catch (InterruptedException e) {
      thread.shutdownNow();
      Thread.currentThread().interrupt();
    }
    client.ifPresent(Rpc.Peer::close);
  }

  @Override
  public JobStatus status() {
    ReplicationJobState s = job.state();
    List<String> errors = new ArrayList<>(s.errors());
    String state =
        stopped ? "stopped" : s.replicating() ? "running" : s.running() ? "idle" : "stopped";
    return new JobStatus(
            name,
            type,
            state,
            JobStatus.time(s.lastInvocationAt()),
            JobStatus.time(s.nextSnapshotDue()),
            errors,
            ReplicationStatuses.datasets(s.progress(), metrics.snapshot().newestReplicated()))
        .withViews(
            job.snapshots() ? JobStatus.time(s.nextSnapshotDue()) : "",
            // push and local replicate after each snapshot round; pull on its interval
            stopped ? "" : JobStatus.time(pullEvery.isPresent() ? nextPull : s.nextSnapshotDue()),
            job.snapshots() || s.lastSnapshots().isPresent()
                ? StatusViews.snapshotting(s.lastSnapshots(), job.snapper())
                : null,
            StatusViews.pruning(job.pruning()))
        .withAttempts(ReplicationStatuses.attempts(job.attempts()));
  }

  @Override
  public JobMetrics.Snapshot metrics() {
    return metrics.snapshot();
  }

  @Override
  public void wakeup() {
    if (stopped) {
      throw new SignalRefusedException("job '" + name + "' is stopping");
    }
    job.wakeup();
  }

  @Override
  public void reset() {
    if (!job.reset()) {
      throw new SignalRefusedException(
          "job '" + name + "' has no replication run in progress to reset");
    }
  }

  @Override
  public void snapshotNow() {
    if (type.equals("pull")) {
      throw new SignalRefusedException(
          "job '"
              + name
              + "' is a pull job: it takes no snapshots (the source job snapshots; signal"
              + " wakeup replicates now)");
    }
    if (stopped) {
      throw new SignalRefusedException("job '" + name + "' is stopping");
    }
    if (!job.snapshots()) {
      throw new SignalRefusedException(
          "job '"
              + name
              + "' has manual snapshotting: it takes no snapshots itself (signal wakeup"
              + " replicates and prunes now; for the daemon to take snapshots, configure"
              + " snapshotting type periodic or cron)");
    }
    job.runOnce(true);
  }
}
