package org.zrepl.app.endpoint;

/**
 * {@code recv.placeholder.encryption}: what a new placeholder's {@code encryption} is. As in zrepl
 * 0.7, {@link #UNSPECIFIED} (the default) refuses to create any placeholder, except a sink's {@code
 * root_fs/<client identity>}, which inherits.
 */
public enum PlaceholderEncryption {
  /** Refuse to create placeholders (except a sink's client root, which inherits). */
  UNSPECIFIED,
  /** Create placeholders without an {@code encryption} option: they inherit the parent's. */
  INHERIT,
  /** Create placeholders with {@code encryption=off}. */
  OFF
}
