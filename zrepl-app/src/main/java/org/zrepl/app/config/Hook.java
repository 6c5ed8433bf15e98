package org.zrepl.app.config;

import java.time.Duration;
import java.util.Objects;

/**
 * A pre/post-snapshot hook in {@code snapshotting.hooks}. zrepl's {@code postgres-checkpoint} and
 * {@code mysql-lock-tables} are refused by the loader: they are not implemented, and a snapshot
 * taken without the checkpoint or lock the configuration asks for must not pass silently.
 */
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
}
