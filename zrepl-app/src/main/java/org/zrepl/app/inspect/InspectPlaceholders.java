package org.zrepl.app.inspect;

import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.port.zfs.Property;
import org.zrepl.port.zfs.Zfs;

/**
 * {@code zrepl test placeholder}: which datasets are placeholders, i.e. have {@value #PROPERTY}
 * {@code =on} set locally (an inherited or received value does not count).
 */
public final class InspectPlaceholders {

  public static final String PROPERTY = "zrepl:placeholder";

  private final Zfs zfs;

  @Inject
  public InspectPlaceholders(Zfs zfs) {
    this.zfs = Objects.requireNonNull(zfs, "zfs");
  }

  /** One dataset's placeholder state and the property as ZFS reported it, if set at all. */
  public record State(DatasetPath dataset, boolean placeholder, Optional<Property> property) {
    public State {
      Objects.requireNonNull(dataset, "dataset");
      Objects.requireNonNull(property, "property");
    }

    static State of(DatasetPath dataset, Optional<Property> property) {
      boolean on =
          property
              .filter(p -> p.source() == Property.Source.LOCAL && p.value().equals("on"))
              .isPresent();
      return new State(dataset, on, property);
    }
  }

  /** The state of one dataset; a missing dataset throws the port's DatasetNotFoundException. */
  public State one(DatasetPath dataset) {
    Map<String, Property> props = zfs.getProperties(dataset.toString(), Set.of(PROPERTY));
    return State.of(dataset, Optional.ofNullable(props.get(PROPERTY)));
  }

  /** The state of every filesystem and volume on this machine, sorted by name. */
  public List<State> all() {
    return zfs.listDatasets(List.of(), Set.of(PROPERTY)).stream()
        .map(info -> State.of(info.path(), info.property(PROPERTY)))
        .toList();
  }
}
