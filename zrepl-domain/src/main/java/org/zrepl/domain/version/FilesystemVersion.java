package org.zrepl.domain.version;

import java.time.Instant;
import java.util.Objects;
import org.zrepl.domain.dataset.DatasetPath;

/**
 * A snapshot ({@code fs@name}) or bookmark ({@code fs#name}) of one filesystem. The name is
 * relative to the filesystem. {@code guid} identifies the same snapshot across pools (a received
 * snapshot keeps the sender's guid); {@code createTxg} orders versions within one filesystem.
 */
public record FilesystemVersion(
    String name, Kind kind, long guid, long createTxg, Instant creation) {

  /** Snapshot or bookmark, with the delimiter ZFS uses for each. */
  public enum Kind {
    SNAPSHOT('@'),
    BOOKMARK('#');

    private final char delimiter;

    Kind(char delimiter) {
      this.delimiter = delimiter;
    }

    public char delimiter() {
      return delimiter;
    }
  }

  public FilesystemVersion {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(creation, "creation");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("version name must not be empty");
    }
    if (name.indexOf('@') >= 0 || name.indexOf('#') >= 0 || name.indexOf('/') >= 0) {
      throw new IllegalArgumentException(
          "version name must not contain '@', '#' or '/', got '" + name + "'");
    }
    if (createTxg <= 0) {
      throw new IllegalArgumentException("createTxg must be positive, got " + createTxg);
    }
  }

  public static FilesystemVersion snapshot(String name, long guid, long createTxg, Instant at) {
    return new FilesystemVersion(name, Kind.SNAPSHOT, guid, createTxg, at);
  }

  public static FilesystemVersion bookmark(String name, long guid, long createTxg, Instant at) {
    return new FilesystemVersion(name, Kind.BOOKMARK, guid, createTxg, at);
  }

  public boolean isSnapshot() {
    return kind == Kind.SNAPSHOT;
  }

  public boolean isBookmark() {
    return kind == Kind.BOOKMARK;
  }

  /** {@code @name} or {@code #name}. */
  public String relativeName() {
    return kind.delimiter() + name;
  }

  /** {@code fs@name} or {@code fs#name}. */
  public String fullName(DatasetPath filesystem) {
    return filesystem + relativeName();
  }

  /** The guid as ZFS prints it: an unsigned decimal. */
  public String guidString() {
    return Long.toUnsignedString(guid);
  }

  @Override
  public String toString() {
    return relativeName() + "(guid=" + guidString() + ",txg=" + createTxg + ")";
  }
}
