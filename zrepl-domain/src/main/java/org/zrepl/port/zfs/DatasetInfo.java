package org.zrepl.port.zfs;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.zrepl.domain.dataset.DatasetPath;

/** A filesystem or volume with the properties that were asked for. */
public record DatasetInfo(DatasetPath path, DatasetType type, Map<String, Property> properties) {

  public DatasetInfo {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(type, "type");
    properties = Map.copyOf(properties);
  }

  public Optional<Property> property(String name) {
    return Optional.ofNullable(properties.get(name));
  }
}
