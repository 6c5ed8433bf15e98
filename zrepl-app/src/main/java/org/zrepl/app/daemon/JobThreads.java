package org.zrepl.app.daemon;

import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zrepl.app.logging.LogContext;

/**
 * Each job's own thread, with the job's name in the log context of everything it runs. A task that
 * ends with a throwable (an {@link Error} or a {@link RuntimeException} its code did not handle)
 * does not vanish into its {@link Future}: it is logged at ERROR with the job's name and the cause,
 * and, unless the thread is shutting down, reported to the job's death listener ({@link
 * Executor#onDeath}), which the daemon uses to mark the job failed and restart it. An {@link
 * OutOfMemoryError} thrown by the JVM never gets here: the launcher runs the daemon with {@code
 * -XX:+ExitOnOutOfMemoryError}, so the JVM exits where it is thrown.
 */
public final class JobThreads {

  private static final Logger LOG = LoggerFactory.getLogger(JobThreads.class);

  private JobThreads() {}

  /** A single daemon thread named {@code job-NAME}; tasks log with job NAME, {@code subsystem}. */
  public static Executor of(String job, String subsystem) {
    Executor e = new Executor(job, subsystem);
    // On shutdown, drop scheduled rounds (a cancelled one would otherwise hold termination until
    // it was due) and let a signalled round in the queue finish.
    e.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    e.setRemoveOnCancelPolicy(true);
    return e;
  }

  /** The throwable that ended {@code task}, if it ended with one. */
  static Throwable failureOf(Runnable task, Throwable thrown) {
    if (thrown != null) {
      return thrown;
    }
    if (task instanceof Future<?> f && f.isDone() && !f.isCancelled()) {
      try {
        f.get();
      } catch (ExecutionException e) {
        return e.getCause();
      } catch (CancellationException e) {
        return null;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return null;
  }

  /** A job's thread; see {@link JobThreads}. */
  public static final class Executor extends ScheduledThreadPoolExecutor {

    private final String job;
    private volatile Consumer<Throwable> onDeath = t -> {};

    private Executor(String job, String subsystem) {
      super(
          1,
          r -> {
            Thread t =
                new Thread(
                    () -> {
                      try (LogContext c = LogContext.of(job, subsystem)) {
                        r.run();
                      }
                    },
                    "job-" + job);
            t.setDaemon(true);
            return t;
          });
      this.job = job;
    }

    /** Who hears of a task that ended with a throwable while the thread was not shutting down. */
    public void onDeath(Consumer<Throwable> listener) {
      onDeath = Objects.requireNonNull(listener, "listener");
    }

    @Override
    protected void afterExecute(Runnable r, Throwable thrown) {
      super.afterExecute(r, thrown);
      Throwable t = failureOf(r, thrown);
      if (t == null) {
        return;
      }
      if (isShutdown()) {
        LOG.error("job {}: a task ended with {} while the job was stopping", job, t.toString(), t);
        return;
      }
      LOG.error("job {} died: {}", job, t.toString(), t);
      onDeath.accept(t);
    }
  }
}
