package org.zrepl.zfs.cli;

import java.util.Objects;
import java.util.Optional;
import org.zrepl.port.zfs.Property;

/**
 * One line of {@code zfs get -H -p -o name,property,value[,source]}. {@code source} is empty when
 * the source column was not asked for.
 */
record GetRow(String name, String property, String value, Optional<Property.Source> source) {

  GetRow {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(property, "property");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(source, "source");
  }

  /**
   * ZFS prints {@code -} in both value and source for a property that is not set at all (an unset
   * user property, or {@code origin} of a filesystem that is no clone).
   */
  boolean isUnset() {
    return value.equals("-") && source.map(s -> s == Property.Source.NONE).orElse(true);
  }

  /** The property as the port sees it; {@code NONE} if the source column was not asked for. */
  Property toProperty() {
    return new Property(value, source.orElse(Property.Source.NONE));
  }
}
