package org.zrepl.app.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.zrepl.domain.dataset.DatasetFilter;

/** A {@code filesystems} filter: the patterns as written (in file order) and the domain filter. */
public record Filesystems(Map<String, String> patterns, DatasetFilter filter) {

  public Filesystems {
    patterns = Collections.unmodifiableMap(new LinkedHashMap<>(patterns));
    Objects.requireNonNull(filter, "filter");
  }

  public static Filesystems of(Map<String, String> patterns) {
    return new Filesystems(patterns, DatasetFilter.of(patterns));
  }

  /** Equal when written the same: the filter is a function of the patterns. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Filesystems other && patterns.equals(other.patterns);
  }

  @Override
  public int hashCode() {
    return patterns.hashCode();
  }
}
