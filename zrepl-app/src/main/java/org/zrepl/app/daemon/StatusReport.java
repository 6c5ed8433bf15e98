package org.zrepl.app.daemon;

import java.util.List;
import java.util.Objects;

/**
 * The answer to {@code status}: the daemon and all its jobs, sorted by name. Its JSON ({@code zrepl
 * status --mode raw}) is documented in docs/status.md.
 *
 * @param schema the version of this JSON's layout: {@link #SCHEMA} when sent; raised when a field
 *     changes meaning or goes away (fields are only ever added within a version). 2: {@code
 *     pruning} holds runs in progress too, with their states
 */
public record StatusReport(
    int schema, String version, String startedAt, String configFile, List<JobStatus> jobs) {

  /** The layout this daemon sends. */
  public static final int SCHEMA = 2;

  public StatusReport {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(startedAt, "startedAt");
    configFile = configFile == null ? "" : configFile;
    jobs = jobs == null ? List.of() : List.copyOf(jobs);
  }

  /** A report in the current {@link #SCHEMA}. */
  public StatusReport(String version, String startedAt, String configFile, List<JobStatus> jobs) {
    this(SCHEMA, version, startedAt, configFile, jobs);
  }
}
