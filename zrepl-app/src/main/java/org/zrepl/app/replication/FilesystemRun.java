package org.zrepl.app.replication;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.replication.Step;
import org.zrepl.domain.version.FilesystemVersion;

/**
 * The mutable state of one filesystem with steps to do. Only one worker touches a run at a time
 * (the {@link StepQueue} hands it out and takes it back); {@link #result} is read by the queue
 * under its lock after the worker returned the run.
 */
final class FilesystemRun {

  /** The filesystem whose next snapshot is oldest goes first (zrepl's step queue). */
  static final Comparator<FilesystemRun> NEXT_SNAPSHOT_OLDEST_FIRST =
      Comparator.<FilesystemRun, java.time.Instant>comparing(r -> r.nextStep().to().creation())
          .thenComparingLong(r -> r.nextStep().to().createTxg())
          .thenComparing(r -> r.filesystem);

  final DatasetPath filesystem;
  final String plan;
  List<Step> steps;

  /** Before the first step, roll the receiver back to this (conflict resolution)... */
  final Optional<FilesystemVersion> rollbackTo;

  /** ...destroying these receiver snapshots. */
  final List<FilesystemVersion> destroyedByRollback;

  /** The plan is an initial replication: children wait for its first step. */
  final boolean initial;

  Optional<String> resumeToken;
  boolean rolledBack;
  int done;
  long bytes;
  FilesystemResult result;

  FilesystemRun(
      DatasetPath filesystem,
      String plan,
      List<Step> steps,
      Optional<FilesystemVersion> rollbackTo,
      List<FilesystemVersion> destroyedByRollback,
      boolean initial,
      Optional<String> resumeToken) {
    if (steps.isEmpty()) {
      throw new IllegalArgumentException("a run of " + filesystem + " needs at least one step");
    }
    this.filesystem = filesystem;
    this.plan = plan;
    this.steps = List.copyOf(steps);
    this.rollbackTo = rollbackTo;
    this.destroyedByRollback = List.copyOf(destroyedByRollback);
    this.initial = initial;
    this.resumeToken = resumeToken;
  }

  /** Replaces the steps not yet done (after a resumed step, the engine replans). */
  void replaceRemaining(List<Step> next) {
    List<Step> all = new java.util.ArrayList<>(steps.subList(0, done));
    all.addAll(next);
    steps = List.copyOf(all);
  }

  boolean finished() {
    return result != null;
  }

  boolean hasNext() {
    return done < steps.size();
  }

  Step nextStep() {
    return steps.get(Math.min(done, steps.size() - 1));
  }

  /** Still waiting for its initial replication's first step: children must wait. */
  boolean blocksChildren() {
    return initial && done == 0 && !finished();
  }

  /** Its initial replication failed before anything arrived: children cannot be received. */
  boolean failedInitially() {
    return initial && done == 0 && result instanceof FilesystemResult.Failed;
  }
}
