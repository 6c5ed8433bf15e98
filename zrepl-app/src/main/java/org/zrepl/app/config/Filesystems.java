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
}
