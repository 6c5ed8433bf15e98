package org.zrepl.app.prune;

import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.prune.KeepRule;

/**
 * What one prune run covers.
 *
 * @param job the job's name, for reports
 * @param side which side's rules these are
 * @param selects the filesystems to prune among those the side's ZFS lists
 * @param rules the side's keep rules ({@code keep}, {@code keep_sender} or {@code keep_receiver})
 * @param contexts the protected base and replication cursor per filesystem
 */
public record PruneTarget(
    String job,
    PruneSide side,
    Predicate<DatasetPath> selects,
    List<KeepRule> rules,
    PruneContexts contexts) {

  public PruneTarget {
    Objects.requireNonNull(job, "job");
    Objects.requireNonNull(side, "side");
    Objects.requireNonNull(selects, "selects");
    rules = List.copyOf(rules);
    Objects.requireNonNull(contexts, "contexts");
  }
}
