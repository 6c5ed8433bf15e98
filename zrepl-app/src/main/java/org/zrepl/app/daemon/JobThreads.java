package org.zrepl.app.daemon;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.zrepl.app.logging.LogContext;

/** Each job's own thread, with the job's name in the log context of everything it runs. */
public final class JobThreads {

  private JobThreads() {}

  /** A single daemon thread named {@code job-NAME}; tasks log with job NAME, {@code subsystem}. */
  public static ScheduledExecutorService of(String job, String subsystem) {
    return Executors.newSingleThreadScheduledExecutor(
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
  }
}
