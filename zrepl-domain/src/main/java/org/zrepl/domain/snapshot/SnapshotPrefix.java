package org.zrepl.domain.snapshot;

import java.util.Collection;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;
import org.zrepl.domain.version.FilesystemVersion;

/**
 * A job's snapshot prefix ({@code snapshotting.prefix}, e.g. {@code zrepl_}): the one place that
 * says what carrying it means. zrepl names a job's snapshots prefix plus timestamp and finds its
 * own snapshots by that prefix alone (a plain "starts with", case-sensitive, on the name after
 * {@code @}; bookmarks never count): the periodic schedule's sync point, whether a cron round is
 * due, and the names the snapshotter gives all go through here.
 *
 * <p>Pruning and the replication filter do not read the prefix in zrepl: their rules carry a
 * regular expression of their own ({@code regex: "^zrepl_"}), which is matched unanchored, so they
 * are not built from this value.
 *
 * @param value the prefix; not empty, and only characters allowed in a snapshot name
 */
public record SnapshotPrefix(String value) {

  /** zrepl's order of a filesystem's snapshots: by createtxg, then creation. */
  private static final Comparator<FilesystemVersion> BY_TXG =
      Comparator.comparingLong(FilesystemVersion::createTxg)
          .thenComparing(FilesystemVersion::creation);

  /**
   * Throws IllegalArgumentException if the prefix is empty or has a character a snapshot name
   * cannot (the message is {@link SnapshotNames#check}'s, naming the character and its index).
   */
  public SnapshotPrefix {
    Objects.requireNonNull(value, "prefix");
    if (value.isEmpty()) {
      throw new IllegalArgumentException("prefix must not be empty");
    }
    SnapshotNames.check(value);
  }

  public static SnapshotPrefix of(String value) {
    return new SnapshotPrefix(value);
  }

  /**
   * Whether a snapshot named {@code snapshotName} (the part after {@code @}) carries the prefix.
   */
  public boolean marks(String snapshotName) {
    return snapshotName.startsWith(value);
  }

  /** Whether {@code version} is a snapshot (not a bookmark) whose name carries the prefix. */
  public boolean marks(FilesystemVersion version) {
    return version.isSnapshot() && marks(version.name());
  }

  /** The newest snapshot, by createtxg, among {@code versions} that carries the prefix. */
  public Optional<FilesystemVersion> newest(Collection<FilesystemVersion> versions) {
    return versions.stream().filter(this::marks).max(BY_TXG);
  }

  /** The snapshot name for {@code timestamp}: the prefix, then the timestamp. */
  public String name(String timestamp) {
    return value + timestamp;
  }

  @Override
  public String toString() {
    return value;
  }
}
