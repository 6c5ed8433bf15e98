package org.zrepl.domain.snapshot;

/**
 * The characters ZFS allows in a snapshot name (the part after {@code @}): letters, digits and
 * {@code _ - : . } and space, as OpenZFS's {@code zfs_component_namecheck} and zrepl's {@code
 * ComponentNamecheck} require. {@code @}, {@code #} and {@code /} are therefore never allowed.
 */
public final class SnapshotNames {

  /** ZFS_MAX_DATASET_NAME_LEN is 256 including the terminating NUL. */
  public static final int MAX_LENGTH = 255;

  private SnapshotNames() {}

  /** Throws {@link IllegalArgumentException} naming the name and what is wrong with it. */
  public static void check(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("snapshot name must not be empty");
    }
    if (name.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "snapshot name '"
              + name
              + "' is "
              + name.length()
              + " characters long, limit is "
              + MAX_LENGTH);
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!isAllowed(c)) {
        throw new IllegalArgumentException(
            "snapshot name '"
                + name
                + "' contains invalid character '"
                + c
                + "' at index "
                + i
                + " (allowed: letters, digits, '_', '-', ':', '.', ' ')");
      }
    }
  }

  public static boolean isValid(String name) {
    try {
      check(name);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static boolean isAllowed(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '_'
        || c == '-'
        || c == ':'
        || c == '.'
        || c == ' ';
  }
}
