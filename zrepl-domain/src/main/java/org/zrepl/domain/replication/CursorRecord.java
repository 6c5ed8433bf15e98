package org.zrepl.domain.replication;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.zrepl.domain.version.FilesystemVersion;

/**
 * The cursor record on a ZFS without bookmarks (zfs-fuse): the sending filesystem's user property
 * {@value #PROPERTY} holds, per target, the newest snapshot that target has, as {@code <job
 * id>=<entry>} entries separated by spaces. An entry is the snapshot's guid as 16 hex digits
 * (written one step at a time), or {@code @<snapshot name>} (written for many filesystems at once:
 * the filesystems of one run mostly replicate the same snapshot name, so they get the same value
 * and one {@code zfs set} writes it to all of them). One format, read and written here only: by the
 * endpoints that move cursors and by the tooling that lists and releases them.
 */
public final class CursorRecord {

  /** The user property that carries the record. */
  public static final String PROPERTY = "zrepl:cursors";

  private CursorRecord() {}

  /**
   * One target's entry: a snapshot's guid, or a snapshot's name ({@code snapshot} non-null).
   *
   * @param guid the snapshot's guid; 0 for an entry by name
   * @param snapshot the snapshot's name (after the {@code @}); null for an entry by guid
   */
  public record Entry(long guid, String snapshot) {

    /** An entry naming the snapshot by guid. */
    public static Entry ofGuid(long guid) {
      return new Entry(guid, null);
    }

    /**
     * An entry naming the snapshot by name.
     *
     * @throws IllegalArgumentException if the name cannot be written into the record (empty, or
     *     holding a space or {@code =}): write its guid instead
     */
    public static Entry ofSnapshot(String name) {
      if (!canName(name)) {
        throw new IllegalArgumentException(
            "a cursor entry cannot name snapshot '" + name + "' (empty, or a space or '=')");
      }
      return new Entry(0, name);
    }

    /** True iff {@link #ofSnapshot} can write {@code name}. */
    public static boolean canName(String name) {
      return name != null && !name.isEmpty() && name.indexOf(' ') < 0 && name.indexOf('=') < 0;
    }

    /** True iff this entry names its snapshot by name. */
    public boolean byName() {
      return snapshot != null;
    }

    /** The entry as written after {@code <job id>=}. */
    public String token() {
      return byName() ? "@" + snapshot : String.format(Locale.ROOT, "%016x", guid);
    }

    /**
     * The guid of the snapshot this entry names among {@code versions}: its own guid, or the guid
     * of the snapshot with its name (empty if there is none: nothing to protect).
     */
    public OptionalLong resolve(List<FilesystemVersion> versions) {
      if (!byName()) {
        return OptionalLong.of(guid);
      }
      return versions.stream()
          .filter(v -> v.isSnapshot() && v.name().equals(snapshot))
          .mapToLong(FilesystemVersion::guid)
          .findFirst();
    }

    @Override
    public String toString() {
      return token();
    }
  }

  /**
   * The entries of {@code value}, by job id. Entries not of the form {@code <id>=<hex guid>} or
   * {@code <id>=@<snapshot>} (an edit by hand) are not ours: they are left out, so they protect
   * nothing and are never listed.
   */
  public static Map<String, Entry> entries(String value) {
    Map<String, Entry> out = new TreeMap<>();
    for (String entry : value.trim().split(" +", -1)) {
      int eq = entry.lastIndexOf('=');
      if (eq <= 0 || eq == entry.length() - 1) {
        continue;
      }
      String id = entry.substring(0, eq);
      String token = entry.substring(eq + 1);
      if (token.startsWith("@")) {
        if (token.length() > 1) {
          out.put(id, Entry.ofSnapshot(token.substring(1)));
        }
        continue;
      }
      try {
        out.put(id, Entry.ofGuid(Long.parseUnsignedLong(token, 16)));
      } catch (NumberFormatException e) {
        // not ours (edited by hand): left out
      }
    }
    return out;
  }

  /**
   * The guid each job's entry stands for, given the filesystem's {@code versions}: an entry by name
   * whose snapshot is not among them is left out (it protects nothing).
   */
  public static Map<String, Long> parse(String value, List<FilesystemVersion> versions) {
    Map<String, Long> out = new TreeMap<>();
    entries(value).forEach((id, e) -> e.resolve(versions).ifPresent(g -> out.put(id, g)));
    return out;
  }

  /** The property value for {@code entries}, sorted by job id. */
  public static String format(Map<String, Entry> entries) {
    StringBuilder b = new StringBuilder();
    new TreeMap<>(entries)
        .forEach(
            (id, e) -> {
              Objects.requireNonNull(e, id);
              if (b.length() > 0) {
                b.append(' ');
              }
              b.append(id).append('=').append(e.token());
            });
    return b.toString();
  }
}
