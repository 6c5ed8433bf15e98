package org.zrepl.port.zfs;

import java.util.Objects;

/**
 * A property value and where it comes from. zrepl trusts {@code zrepl:placeholder} only when it is
 * set locally, so the source matters.
 */
public record Property(String value, Source source) {

  /** The SOURCE column of {@code zfs get}. */
  public enum Source {
    LOCAL,
    DEFAULT,
    INHERITED,
    RECEIVED,
    TEMPORARY,
    NONE
  }

  public Property {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(source, "source");
  }

  public static Property local(String value) {
    return new Property(value, Source.LOCAL);
  }
}
