package org.zrepl.app.daemon;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.zrepl.app.logging.LogContext;

/** Each job's own thread, with the job's name in the log context of everything it runs. */
public final class JobThreads {

  private JobThreads() {}

  /** A single daemon thread named {@code job-NAME}; tasks log with job NAME, {@code subsystem}. */
  public static ScheduledExecutorService of(String job, String subsystem) {
    ScheduledThreadPoolExecutor e =
        new ScheduledThreadPoolExecutor(
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
    // On shutdown, drop scheduled rounds (a cancelled one would otherwise hold termination until
    // it was due) and let a signalled round in the queue finish.
    e.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    e.setRemoveOnCancelPolicy(true);
    return e;
  }
}
