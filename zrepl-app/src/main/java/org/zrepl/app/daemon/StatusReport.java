package org.zrepl.app.daemon;

import java.util.List;
import java.util.Objects;

/** The answer to {@code status}: the daemon and all its jobs, sorted by name. */
public record StatusReport(
    String version, String startedAt, String configFile, List<JobStatus> jobs) {
  public StatusReport {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(startedAt, "startedAt");
    configFile = configFile == null ? "" : configFile;
    jobs = jobs == null ? List.of() : List.copyOf(jobs);
  }
}
