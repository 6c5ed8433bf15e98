package org.zrepl.app.daemon;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zrepl.app.config.Config;
import org.zrepl.app.config.Job;
import org.zrepl.app.job.ExecutorScheduler;
import org.zrepl.app.job.Scheduler;
import org.zrepl.app.logging.LogContext;

/**
 * Runs the jobs of a configuration. Each job is built and started on its own; one that fails to
 * build or start is kept as a failed job in the status and the others run, except a serving job
 * whose listener cannot be opened: that stops {@link #start} (a {@link DaemonStartException}) and
 * refuses a {@link #reload} (a {@link ReloadRefusedException}, the running configuration stays).
 * {@link #reload} keeps jobs whose configuration is unchanged, stops removed and changed ones
 * (after their current step) and starts new and changed ones.
 *
 * <p>A job whose loop dies (a task on its thread ended with a throwable: {@link JobThreads}) is
 * failed at once: its status says {@code failed} with {@code died: } and the cause, and {@code
 * zrepl_daemon_job_up} is 0 for it. Its runtime is stopped and, after a backoff ({@link
 * #restartDelay}), built again from its configuration and started, unless a reload or stop replaced
 * it meanwhile.
 */
public final class Daemon {

  private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);

  private final JobBuilders builders;
  private static final Duration START_WAIT = Duration.ofSeconds(60);

  /** The first restart of a job that died waits this long; each further one twice the last. */
  static final Duration FIRST_RESTART = Duration.ofSeconds(30);

  /** The longest wait before restarting a job that died. */
  static final Duration MAX_RESTART = Duration.ofMinutes(15);

  /** A job that ran this long since its last restart counts its deaths from zero again. */
  static final Duration HEALTHY_RUN = Duration.ofHours(1);

  private final Scheduler restarts;
  private final Clock clock;

  /** By job name: consecutive deaths, and when the job was last (re)started after one. */
  private final Map<String, Deaths> deaths = new TreeMap<>();

  private record Deaths(int count, Instant restartedAt) {}

  private final Map<String, Running> jobs = new TreeMap<>();
  private final CountDownLatch started = new CountDownLatch(1);
  private Config current;

  private record Running(Job config, JobRuntime job) {}

  /** What a reload did, by job name. */
  public record ReloadResult(
      List<String> kept, List<String> restarted, List<String> started, List<String> stopped) {
    public ReloadResult {
      kept = List.copyOf(kept);
      restarted = List.copyOf(restarted);
      started = List.copyOf(started);
      stopped = List.copyOf(stopped);
    }
  }

  /** Restarts jobs that died on a thread of its own, on {@code clock}. */
  public Daemon(JobBuilders builders, Clock clock) {
    this(builders, restarterThread(clock), clock);
  }

  /** {@code restarts} runs the stopping and restarting of jobs that died, on {@code clock}. */
  Daemon(JobBuilders builders, Scheduler restarts, Clock clock) {
    this.builders = Objects.requireNonNull(builders, "builders");
    this.restarts = Objects.requireNonNull(restarts, "restarts");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  private static Scheduler restarterThread(Clock clock) {
    java.util.concurrent.ScheduledThreadPoolExecutor e =
        new java.util.concurrent.ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t =
                  new Thread(
                      () -> {
                        try (LogContext c = LogContext.of(null, "daemon")) {
                          r.run();
                        }
                      },
                      "job-restarts");
              t.setDaemon(true);
              return t;
            });
    e.setKeepAliveTime(10, TimeUnit.SECONDS);
    e.allowCoreThreadTimeOut(true);
    e.setRemoveOnCancelPolicy(true);
    return new ExecutorScheduler(e, clock);
  }

  /**
   * Builds and starts every job of {@code config}. The control socket is served before this (so
   * that a second daemon on the same socket is refused before it starts any job): requests about
   * jobs that arrive meanwhile wait for it ({@link #awaitStart}) instead of answering "no jobs".
   */
  public void start(Config config) {
    try {
      startJobs(config);
    } finally {
      started.countDown();
    }
  }

  private synchronized void startJobs(Config config) {
    if (!jobs.isEmpty()) {
      throw new IllegalStateException("daemon already started with jobs " + jobs.keySet());
    }
    builders.useGlobal(config.global());
    for (Job c : config.jobs()) {
      try {
        jobs.put(c.name(), new Running(c, launchOrThrow(c)));
      } catch (ServeFailedException e) {
        try (LogContext ctx = LogContext.of(c.name(), "daemon")) {
          LOG.error("cannot start the daemon: {}", e.getMessage(), e);
        }
        stop();
        throw new DaemonStartException(e.getMessage(), e);
      }
    }
    current = config;
  }

  /**
   * Applies a new configuration (already validated).
   *
   * @throws ReloadRefusedException if a serving job of {@code config} cannot open its listener; the
   *     jobs this reload had stopped are started again from the running configuration and the jobs
   *     it had started are stopped, so the running configuration stays
   */
  public synchronized ReloadResult reload(Config config) {
    Map<String, Job> wanted = new LinkedHashMap<>();
    config.jobs().forEach(j -> wanted.put(j.name(), j));
    List<String> kept = new ArrayList<>();
    List<String> restarted = new ArrayList<>();
    List<String> started = new ArrayList<>();
    List<String> stopped = new ArrayList<>();
    Map<String, Running> halted = new LinkedHashMap<>();
    // First stop what goes or changes (a changed sink may listen where it listened before) ...
    for (String name : List.copyOf(jobs.keySet())) {
      Running r = jobs.get(name);
      Job c = wanted.get(name);
      if (c != null && c.equals(r.config()) && !(r.job() instanceof FailedJob)) {
        kept.add(name);
        continue;
      }
      halt(r);
      jobs.remove(name);
      halted.put(name, r);
      (c == null ? stopped : restarted).add(name);
    }
    // ... then start the changed and new ones.
    builders.useGlobal(config.global());
    List<String> launched = new ArrayList<>();
    try {
      for (Job c : wanted.values()) {
        if (!jobs.containsKey(c.name())) {
          if (!halted.containsKey(c.name())) {
            started.add(c.name());
          }
          jobs.put(c.name(), new Running(c, launchOrThrow(c)));
          launched.add(c.name());
        }
      }
    } catch (ServeFailedException e) {
      rollBack(launched, halted);
      throw new ReloadRefusedException(e.getMessage(), e);
    }
    current = config;
    LOG.atInfo()
        .addKeyValue("kept", kept)
        .addKeyValue("restarted", restarted)
        .addKeyValue("started", started)
        .addKeyValue("stopped", stopped)
        .log("configuration reloaded");
    return new ReloadResult(kept, restarted, started, stopped);
  }

  private void rollBack(List<String> launched, Map<String, Running> halted) {
    for (String name : launched) {
      halt(jobs.remove(name));
    }
    if (current != null) {
      builders.useGlobal(current.global());
    }
    halted.forEach((name, r) -> jobs.put(name, new Running(r.config(), launch(r.config()))));
  }

  /** A reload was refused; the running configuration stays. */
  public static final class ReloadRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ReloadRefusedException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Stops every job (each after its current step). */
  public synchronized void stop() {
    jobs.values().forEach(this::halt);
    jobs.clear();
  }

  /** Waits (at most {@link #START_WAIT}) until {@link #start} has built and started the jobs. */
  private void awaitStart() {
    try {
      if (!started.await(START_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("the daemon's jobs did not start within {}: answering without them", START_WAIT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public Optional<JobRuntime> job(String name) {
    awaitStart();
    synchronized (this) {
      return Optional.ofNullable(jobs.get(name)).map(Running::job);
    }
  }

  public List<String> jobNames() {
    awaitStart();
    synchronized (this) {
      return List.copyOf(jobs.keySet());
    }
  }

  /** Status of every job, sorted by name; a job whose status fails shows that error. */
  public List<JobStatus> statuses() {
    awaitStart();
    List<JobRuntime> current;
    synchronized (this) {
      current = jobs.values().stream().map(Running::job).toList();
    }
    List<JobStatus> out = new ArrayList<>();
    for (JobRuntime j : current) {
      try {
        out.add(j.status());
      } catch (RuntimeException e) {
        out.add(
            new JobStatus(j.name(), j.type(), "failed", "", "", List.of(e.toString()), List.of()));
      }
    }
    return out;
  }

  /** Each job's metrics beyond its status, by name. */
  public Map<String, JobMetrics.Snapshot> metrics() {
    Map<String, JobMetrics.Snapshot> out = new TreeMap<>();
    synchronized (this) {
      jobs.forEach((name, r) -> out.put(name, r.job().metrics()));
    }
    return out;
  }

  /** As {@link #launchOrThrow}, but a listener that cannot be opened is a failed job too. */
  private JobRuntime launch(Job c) {
    try {
      return launchOrThrow(c);
    } catch (ServeFailedException e) {
      try (LogContext ctx = LogContext.of(c.name(), "daemon")) {
        LOG.error("cannot start job: {}", e.getMessage(), e);
      }
      return new FailedJob(c.name(), typeOf(c), e.getMessage());
    }
  }

  /**
   * Builds and starts a job; one that fails is a {@link FailedJob}, except that a listener that
   * cannot be opened throws.
   */
  private JobRuntime launchOrThrow(Job c) {
    String type = typeOf(c);
    try (LogContext ctx = LogContext.of(c.name(), "daemon")) {
      JobRuntime job;
      try {
        job = builders.build(c);
      } catch (RuntimeException e) {
        LOG.error("cannot build job: {}", e.getMessage(), e);
        return new FailedJob(c.name(), type, e.getMessage());
      }
      JobRuntime built = job;
      job.onDeath(t -> restarts.schedule(clock.instant(), () -> died(c, built, t)));
      try {
        job.start();
        LOG.info("job started");
        return job;
      } catch (ServeFailedException e) {
        job.stop();
        throw e;
      } catch (RuntimeException | Error e) {
        if (e instanceof OutOfMemoryError) {
          throw e; // the JVM exits (-XX:+ExitOnOutOfMemoryError)
        }
        LOG.error("cannot start job: {}", e.getMessage(), e);
        return new FailedJob(c.name(), type, "cannot start: " + describe(e));
      }
    }
  }

  /**
   * The loop of {@code job} (configured as {@code c}) died of {@code cause}: unless a reload or
   * stop replaced it, it becomes a failed job saying so, is stopped, and is restarted after the
   * backoff. Runs on the restarter's thread, never on the dying job's (whose stop waits for that
   * thread).
   */
  private void died(Job c, JobRuntime job, Throwable cause) {
    FailedJob dead;
    Running was;
    Duration delay;
    synchronized (this) {
      was = jobs.get(c.name());
      if (was == null || was.job() != job) {
        return;
      }
      Instant now = clock.instant();
      Deaths before = deaths.get(c.name());
      int count =
          before == null || !now.isBefore(before.restartedAt().plus(HEALTHY_RUN))
              ? 1
              : before.count() + 1;
      delay = restartDelay(count);
      Instant at = now.plus(delay);
      deaths.put(c.name(), new Deaths(count, at));
      dead =
          new FailedJob(
              c.name(),
              job.type(),
              "died: "
                  + describe(cause)
                  + " (restart "
                  + count
                  + " at "
                  + JobStatus.time(Optional.of(at))
                  + ", in "
                  + delay.toSeconds()
                  + "s)");
      jobs.put(c.name(), new Running(c, dead));
    }
    try (LogContext ctx = LogContext.of(c.name(), "daemon")) {
      LOG.error(
          "job failed, stopping it and restarting it in {}s: {}", delay.toSeconds(), dead.error());
    }
    halt(was);
    restarts.schedule(clock.instant().plus(delay), () -> restart(c, dead));
  }

  /** Starts {@code c} again in place of {@code dead}, unless a reload or stop replaced it. */
  private synchronized void restart(Job c, FailedJob dead) {
    Running r = jobs.get(c.name());
    if (r == null || r.job() != dead) {
      return;
    }
    try (LogContext ctx = LogContext.of(c.name(), "daemon")) {
      LOG.info("restarting job after it died");
    }
    jobs.put(c.name(), new Running(c, launch(c)));
  }

  /** The wait before the {@code n}th consecutive restart: 30 s, 1 min, 2 min, ... up to 15 min. */
  static Duration restartDelay(int n) {
    Duration d = FIRST_RESTART;
    for (int i = 1; i < n && d.compareTo(MAX_RESTART) < 0; i++) {
      d = d.multipliedBy(2);
    }
    return d.compareTo(MAX_RESTART) > 0 ? MAX_RESTART : d;
  }

  /** A cause for the status: its class and message, then each nested cause's. */
  static String describe(Throwable t) {
    StringBuilder b = new StringBuilder(t.toString());
    java.util.Set<Throwable> seen = new java.util.HashSet<>(List.of(t));
    for (Throwable c = t.getCause(); c != null && seen.add(c); c = c.getCause()) {
      b.append(": caused by ").append(c);
    }
    String s = b.toString().replace('\n', ' ');
    return s.length() > 500 ? s.substring(0, 500) + "..." : s;
  }

  private void halt(Running r) {
    try (LogContext ctx = LogContext.of(r.config().name(), "daemon")) {
      r.job().stop();
      LOG.info("job stopped");
    } catch (RuntimeException e) {
      LOG.error("job {} did not stop cleanly: {}", r.config().name(), e.getMessage(), e);
    }
  }

  static String typeOf(Job c) {
    return c.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
  }
}
