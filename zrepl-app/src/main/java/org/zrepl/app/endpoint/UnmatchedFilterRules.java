package org.zrepl.app.endpoint;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.zrepl.domain.dataset.DatasetFilter;
import org.zrepl.domain.dataset.DatasetPath;

/**
 * Where a job's {@code filesystems} filter (or its mapping's sources) is evaluated against a
 * listing of every dataset, as zrepl's {@code zfs list} with a filter: selects the datasets the
 * filter passes and counts, per job, the rules that named a dataset the listing did not have
 * (zrepl's {@code zrepl_zfs_list_unmatched_user_specified_dataset_count{jobid}}; it only grows, so
 * an increase means a rule has no effect). Kept process-wide like the log entry counts ({@code
 * Logging#counts}): the senders, snapshotters and jobs that list are built in many places, and the
 * daemon's metrics read {@link #counts()} at scrape time.
 */
public final class UnmatchedFilterRules {

  /** The job label outside any job, as our other {@code jobid} labels. */
  public static final String NO_JOB = "_nojobid";

  private static final Map<String, LongAdder> COUNTS = new ConcurrentHashMap<>();

  private UnmatchedFilterRules() {}

  /**
   * The datasets of {@code listed} that {@code filter} passes, in listing order; adds the number of
   * the filter's rules naming a dataset not in {@code listed} to {@code job}'s count ({@link
   * #NO_JOB} when {@code job} is empty).
   */
  public static List<DatasetPath> select(
      DatasetFilter filter, Collection<DatasetPath> listed, String job) {
    add(job, filter.unmatchedNames(listed).size());
    return listed.stream().filter(filter::matches).toList();
  }

  /** Adds {@code n} unmatched rules to {@code job}'s count. */
  static void add(String job, int n) {
    LongAdder a =
        COUNTS.computeIfAbsent(job == null || job.isEmpty() ? NO_JOB : job, j -> new LongAdder());
    a.add(n);
  }

  /**
   * Unmatched rules so far per job, for every job that has evaluated its filter against a listing
   * (zero included, so the series exists from the first listing on).
   */
  public static Map<String, Long> counts() {
    Map<String, Long> m = new TreeMap<>();
    COUNTS.forEach((k, v) -> m.put(k, v.sum()));
    return m;
  }
}
