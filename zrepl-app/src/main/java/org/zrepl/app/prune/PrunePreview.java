package org.zrepl.app.prune;

import java.util.Collections;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.prune.PrunePlan;

/** The planner's decisions for every selected filesystem of one side, sorted by path. */
public record PrunePreview(PruneTarget target, SortedMap<DatasetPath, PrunePlan> plans) {

  public PrunePreview {
    Objects.requireNonNull(target, "target");
    plans = Collections.unmodifiableSortedMap(new TreeMap<>(plans));
  }
}
