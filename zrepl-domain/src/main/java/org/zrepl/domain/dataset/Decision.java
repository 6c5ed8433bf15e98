package org.zrepl.domain.dataset;

import java.util.Objects;
import java.util.Optional;

/**
 * Why a {@link DatasetFilter} or {@link DatasetMapping} decided as it did for one dataset, as shown
 * by {@code zrepl test filesystems}.
 *
 * @param dataset the dataset asked about
 * @param pattern the pattern that decided, as written; empty when no pattern matches
 * @param selected whether the dataset is selected (included by a filter, mapped by a mapping)
 * @param target for a mapping, where the dataset maps to; always empty for a filter
 */
public record Decision(
    DatasetPath dataset, Optional<String> pattern, boolean selected, Optional<DatasetPath> target) {

  public Decision {
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(pattern, "pattern");
    Objects.requireNonNull(target, "target");
    if (pattern.isEmpty() && selected) {
      throw new IllegalArgumentException("a dataset no pattern matches cannot be selected");
    }
    if (target.isPresent() && !selected) {
      throw new IllegalArgumentException("an omitted dataset has no target, got " + target.get());
    }
  }

  /**
   * One line for people, e.g. {@code zroot/var: selected by 'zroot<' -> storage/zroot/var} or
   * {@code zroot/tmp: not selected (excluded by 'zroot/tmp<')}.
   */
  public String describe() {
    if (pattern.isEmpty()) {
      return dataset + ": not selected (no pattern matches)";
    }
    if (!selected) {
      return dataset + ": not selected (excluded by '" + pattern.get() + "')";
    }
    String line = dataset + ": selected by '" + pattern.get() + "'";
    return target.map(t -> line + " -> " + t).orElse(line);
  }
}
