package org.zrepl.app.logging;

import org.slf4j.MDC;

/**
 * The structured context of log entries: {@code job} and {@code subsystem} in the MDC of the
 * current thread. Use with try-with-resources; closing restores what was there before.
 */
public final class LogContext implements AutoCloseable {

  public static final String JOB = "job";
  public static final String SUBSYSTEM = "subsystem";

  private final String oldJob;
  private final String oldSubsystem;

  private LogContext(String job, String subsystem) {
    oldJob = MDC.get(JOB);
    oldSubsystem = MDC.get(SUBSYSTEM);
    put(JOB, job);
    put(SUBSYSTEM, subsystem);
  }

  /** The job of the current thread's context; empty outside a job. */
  public static String currentJob() {
    String j = MDC.get(JOB);
    return j == null ? "" : j;
  }

  public static LogContext of(String job, String subsystem) {
    return new LogContext(job, subsystem);
  }

  private static void put(String key, String value) {
    if (value == null) {
      MDC.remove(key);
    } else {
      MDC.put(key, value);
    }
  }

  @Override
  public void close() {
    put(JOB, oldJob);
    put(SUBSYSTEM, oldSubsystem);
  }
}
