package org.zrepl.app.endpoint;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.zrepl.domain.dataset.DatasetPath;

/**
 * The names zrepl gives its on-disk abstractions, per job. The job name becomes part of bookmark
 * and hold names, so it must be a valid dataset name component.
 */
public final class EndpointNames {

  /** The user property marking a placeholder; zrepl trusts it only when set locally. */
  public static final String PLACEHOLDER_PROPERTY = "zrepl:placeholder";

  /** The value of {@link #PLACEHOLDER_PROPERTY} on a placeholder. */
  public static final String PLACEHOLDER_ON = "on";

  private static final Pattern CURSOR = Pattern.compile("zrepl_CURSOR_G_([0-9a-f]{16})_J_(.+)");
  private static final Pattern TENTATIVE =
      Pattern.compile("zrepl_CURSORTENTATIVE_G_([0-9a-f]{16})_J_(.+)");

  /**
   * Joins a {@code source} job's name and a puller's client identity into the job id of that
   * puller's cursor and holds: {@code <job>_C_<client>}, so that each puller of one source keeps
   * its own replication cursor ({@code zrepl_CURSOR_G_<guid>_J_<job>_C_<client>}).
   */
  public static final String CLIENT_SEPARATOR = "_C_";

  private final String job;

  private EndpointNames(String job) {
    this.job = job;
  }

  /** Throws {@link IllegalArgumentException} naming the job if it cannot be part of a name. */
  public static EndpointNames forJob(String job) {
    if (job == null || job.isEmpty()) {
      throw new IllegalArgumentException("job name must not be empty");
    }
    try {
      DatasetPath.checkComponent(job);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "job name '" + job + "' cannot be used in bookmark and hold names: " + e.getMessage(), e);
    }
    if (job.contains(" ")) {
      throw new IllegalArgumentException("job name '" + job + "' must not contain a space");
    }
    return new EndpointNames(job);
  }

  /**
   * The names of one puller of a {@code source} job: job id {@code <job>_C_<client>}. A space in
   * the client identity (valid in a dataset name, not in a job id) becomes {@code _}.
   */
  public static EndpointNames forSourceClient(String job, String client) {
    if (client == null || client.isEmpty()) {
      return forJob(job);
    }
    return forJob(job + CLIENT_SEPARATOR + client.replace(' ', '_'));
  }

  public String job() {
    return job;
  }

  /** Whether job id {@code id} is this job's or one of its pullers' ({@code <job>_C_<client>}). */
  public boolean ownsJobId(String id) {
    return id.equals(job) || id.startsWith(job + CLIENT_SEPARATOR);
  }

  /**
   * The job id and guid of any job's replication cursor bookmark ({@code
   * zrepl_CURSOR_G_<guid>_J_<job id>}); empty for any other name.
   */
  public static Optional<Map.Entry<String, Long>> anyCursor(String bookmarkName) {
    Matcher m = CURSOR.matcher(bookmarkName);
    if (!m.matches()) {
      return Optional.empty();
    }
    return Optional.of(Map.entry(m.group(2), Long.parseUnsignedLong(m.group(1), 16)));
  }

  /** {@code zrepl_CURSOR_G_<guid as 16 hex digits>_J_<job>}: the sender's replication cursor. */
  public String cursorBookmark(long guid) {
    return String.format(Locale.ROOT, "zrepl_CURSOR_G_%016x_J_%s", guid, job);
  }

  /** The guid a bookmark name of this job's cursor refers to; empty for any other name. */
  public Optional<Long> cursorGuid(String bookmarkName) {
    Matcher m = CURSOR.matcher(bookmarkName);
    if (!m.matches() || !m.group(2).equals(job)) {
      return Optional.empty();
    }
    return Optional.of(Long.parseUnsignedLong(m.group(1), 16));
  }

  /**
   * {@code zrepl_CURSORTENTATIVE_G_<guid>_J_<job>}: a step's {@code from} and {@code to} under
   * {@code guarantee_incremental}, until the step is confirmed.
   */
  public String tentativeCursorBookmark(long guid) {
    return String.format(Locale.ROOT, "zrepl_CURSORTENTATIVE_G_%016x_J_%s", guid, job);
  }

  /** Whether {@code bookmarkName} is a tentative cursor of this job. */
  public boolean isTentativeCursor(String bookmarkName) {
    Matcher m = TENTATIVE.matcher(bookmarkName);
    return m.matches() && m.group(2).equals(job);
  }

  /** {@code zrepl_STEP_J_<job>}: held on a step's snapshots while it runs. */
  public String stepHold() {
    return "zrepl_STEP_J_" + job;
  }

  /** {@code zrepl_last_received_J_<job>}: held on the receiver's newest received snapshot. */
  public String lastReceivedHold() {
    return "zrepl_last_received_J_" + job;
  }
}
