package org.zrepl.domain.replication;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The cursor record on a ZFS without bookmarks (zfs-fuse): the sending filesystem's user property
 * {@value #PROPERTY} holds, per target, the guid of the newest snapshot that target has, as {@code
 * <job id>=<guid as 16 hex digits>} entries separated by spaces. One format, read and written here
 * only: by the endpoints that move cursors and by the tooling that lists and releases them.
 */
public final class CursorRecord {

  /** The user property that carries the record. */
  public static final String PROPERTY = "zrepl:cursors";

  private CursorRecord() {}

  /**
   * The entries of {@code value}, by job id. Entries not of the form {@code <id>=<hex guid>} (an
   * edit by hand) are not ours: they are left out, so they protect nothing and are never listed.
   */
  public static Map<String, Long> parse(String value) {
    Map<String, Long> out = new TreeMap<>();
    for (String entry : value.trim().split(" +", -1)) {
      int eq = entry.lastIndexOf('=');
      if (eq <= 0 || eq == entry.length() - 1) {
        continue;
      }
      try {
        out.put(entry.substring(0, eq), Long.parseUnsignedLong(entry.substring(eq + 1), 16));
      } catch (NumberFormatException e) {
        // not ours (edited by hand): left out
      }
    }
    return out;
  }

  /** The property value for {@code entries}, sorted by job id. */
  public static String format(Map<String, Long> entries) {
    StringBuilder b = new StringBuilder();
    new TreeMap<>(entries)
        .forEach(
            (id, guid) -> {
              if (b.length() > 0) {
                b.append(' ');
              }
              b.append(id).append('=').append(String.format(Locale.ROOT, "%016x", guid));
            });
    return b.toString();
  }
}
