package org.zrepl.app.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.zrepl.domain.dataset.DatasetMapping;

/** A {@code mapping}: the patterns as written (in file order) and the domain mapping. */
public record Mapping(Map<String, String> patterns, DatasetMapping mapping) {

  public Mapping {
    patterns = Collections.unmodifiableMap(new LinkedHashMap<>(patterns));
    Objects.requireNonNull(mapping, "mapping");
  }

  public static Mapping of(Map<String, String> patterns) {
    return new Mapping(patterns, DatasetMapping.of(patterns));
  }
}
