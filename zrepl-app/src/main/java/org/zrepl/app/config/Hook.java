package org.zrepl.app.config;

import java.time.Duration;
import java.util.Objects;

/** A pre/post-snapshot hook in {@code snapshotting.hooks}. */
public sealed interface Hook {

  /** Datasets the hook runs for. */
  Filesystems filesystems();

  /** After this long the hook is killed and counts as failed; default 30s. */
  Duration timeout();

  /** A failing pre-edge prevents the snapshot. */
  boolean errIsFatal();

  /** Runs the executable at {@code path} (absolute, no arguments). Default filter: all. */
  record Command(String path, Duration timeout, Filesystems filesystems, boolean errIsFatal)
      implements Hook {
    public Command {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(timeout, "timeout");
      Objects.requireNonNull(filesystems, "filesystems");
      if (!path.startsWith("/")) {
        throw new IllegalArgumentException("hook path must be absolute, got '" + path + "'");
      }
    }
  }

  /** Executes {@code CHECKPOINT} on the Postgres server at {@code dsn} before the snapshot. */
  record PostgresCheckpoint(
      String dsn, Duration timeout, Filesystems filesystems, boolean errIsFatal) implements Hook {
    public PostgresCheckpoint {
      Objects.requireNonNull(dsn, "dsn");
      Objects.requireNonNull(timeout, "timeout");
      Objects.requireNonNull(filesystems, "filesystems");
    }
  }

  /** Holds {@code FLUSH TABLES WITH READ LOCK} on the MySQL server at {@code dsn}. */
  record MysqlLockTables(String dsn, Duration timeout, Filesystems filesystems, boolean errIsFatal)
      implements Hook {
    public MysqlLockTables {
      Objects.requireNonNull(dsn, "dsn");
      Objects.requireNonNull(timeout, "timeout");
      Objects.requireNonNull(filesystems, "filesystems");
    }
  }
}
