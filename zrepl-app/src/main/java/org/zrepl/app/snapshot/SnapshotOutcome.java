package org.zrepl.app.snapshot;

import java.util.Objects;

/** What became of one filesystem's snapshot in a round. */
public sealed interface SnapshotOutcome
    permits SnapshotOutcome.Taken, SnapshotOutcome.SkippedByHook, SnapshotOutcome.Failed {

  /** One line for status output. */
  String describe();

  /** The snapshot exists. */
  record Taken(String name) implements SnapshotOutcome {
    public Taken {
      Objects.requireNonNull(name, "name");
    }

    @Override
    public String describe() {
      return "took @" + name;
    }
  }

  /** A pre-snapshot hook with {@code err_is_fatal} failed, so no snapshot was taken. */
  record SkippedByHook(HookRun hook) implements SnapshotOutcome {
    public SkippedByHook {
      Objects.requireNonNull(hook, "hook");
    }

    @Override
    public String describe() {
      return "skipped: " + hook.describe();
    }
  }

  /** ZFS refused the snapshot; {@code error} says what ran and why it failed. */
  record Failed(String name, String error) implements SnapshotOutcome {
    public Failed {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(error, "error");
    }

    @Override
    public String describe() {
      return "failed to take @" + name + ": " + error;
    }
  }
}
