package org.zrepl.port.transport;

import java.util.Objects;
import org.zrepl.domain.dataset.DatasetPath;

/**
 * Who is on the other end of a served connection, as the transport established it (an IP mapping, a
 * certificate CN, the stdinserver's argument). A sink writes below {@code root_fs/<identity>}, so
 * an identity must be one harmless dataset name component: no {@code /}, {@code @}, {@code #}, not
 * {@code .} or {@code ..}.
 */
public record ClientIdentity(String name) {
  public ClientIdentity {
    Objects.requireNonNull(name, "name");
    try {
      DatasetPath.checkComponent(name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "client identity '" + name + "' is not a valid dataset name component", e);
    }
    if (name.isBlank() || !name.strip().equals(name)) {
      throw new IllegalArgumentException(
          "client identity '" + name + "' must not start or end with a space");
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
