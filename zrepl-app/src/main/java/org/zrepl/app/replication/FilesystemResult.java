package org.zrepl.app.replication;

import java.util.Objects;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.replication.Conflict;

/** How the replication of one filesystem ended. */
public sealed interface FilesystemResult
    permits FilesystemResult.Ok, FilesystemResult.ConflictFound, FilesystemResult.Failed {

  /** The filesystem, as the sender names it. */
  DatasetPath filesystem();

  /** One line for status output and {@code zrepl run --once}. */
  String describe();

  /** Conflicts and errors need a person; {@code run --once} exits 1 if there is one. */
  default boolean needsAttention() {
    return !(this instanceof Ok);
  }

  /**
   * Every planned step was replicated (possibly none).
   *
   * @param plan the plan's description
   * @param steps how many steps were replicated
   * @param bytes stream bytes sent
   */
  record Ok(DatasetPath filesystem, String plan, int steps, long bytes)
      implements FilesystemResult {
    public Ok {
      Objects.requireNonNull(filesystem, "filesystem");
      Objects.requireNonNull(plan, "plan");
    }

    @Override
    public String describe() {
      return filesystem + ": ok, " + plan + (steps == 0 ? "" : " (" + bytes + " bytes)");
    }
  }

  /** The planner found a conflict; nothing was sent or destroyed. */
  record ConflictFound(DatasetPath filesystem, Conflict conflict) implements FilesystemResult {
    public ConflictFound {
      Objects.requireNonNull(filesystem, "filesystem");
      Objects.requireNonNull(conflict, "conflict");
    }

    @Override
    public String describe() {
      return filesystem + ": conflict: " + conflict.describe();
    }
  }

  /**
   * A step failed for good, or could not be tried.
   *
   * @param error what went wrong, naming the filesystem and step
   * @param temporary the last error was temporary (the attempts ran out)
   * @param attempts how often the failing step was tried
   * @param stepsDone how many steps were replicated before
   */
  record Failed(
      DatasetPath filesystem, String error, boolean temporary, int attempts, int stepsDone)
      implements FilesystemResult {
    public Failed {
      Objects.requireNonNull(filesystem, "filesystem");
      Objects.requireNonNull(error, "error");
    }

    @Override
    public String describe() {
      return filesystem
          + ": failed after "
          + attempts
          + (attempts == 1 ? " attempt" : " attempts")
          + (stepsDone == 0 ? "" : " (" + stepsDone + " steps done)")
          + ": "
          + error;
    }
  }
}
