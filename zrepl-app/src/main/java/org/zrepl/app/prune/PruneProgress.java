package org.zrepl.app.prune;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.zrepl.domain.dataset.DatasetPath;

/**
 * One prune run of one side as it goes, for {@code zrepl status}: the {@link Pruner} tells it when
 * the plan is made and each time a filesystem is done; {@link #report()} may be read from another
 * thread at any time. The states are zrepl's pruner states: {@code Plan} (listing and planning),
 * {@code PlanErr} (the listing failed: nothing destroyed), {@code Exec} (destroying, filesystem by
 * filesystem), then {@code ExecErr} (ZFS refused to destroy some snapshot) or {@code Done}.
 */
public final class PruneProgress {

  /** zrepl's pruner states, with its names ({@link #word()}). */
  public enum State {
    PLAN("Plan"),
    PLAN_ERR("PlanErr"),
    EXEC("Exec"),
    EXEC_ERR("ExecErr"),
    DONE("Done");

    private final String word;

    State(String word) {
      this.word = word;
    }

    /** As zrepl writes it: {@code Plan}, {@code PlanErr}, {@code Exec}, {@code ExecErr}, ... */
    public String word() {
      return word;
    }

    /** Whether the run is over (PlanErr, ExecErr, Done). */
    public boolean terminal() {
      return this != PLAN && this != EXEC;
    }
  }

  /**
   * One filesystem of the run.
   *
   * @param fs the side's own name of it
   * @param snapshots its snapshots when planned
   * @param toDestroy how many of them the plan destroys
   * @param completed whether its destroy has run (else it is pending)
   * @param destroyed how many were destroyed (0 while pending)
   * @param failed how many ZFS refused to destroy
   * @param error the first refusal, {@code @snap: message}; empty if none
   */
  public record Filesystem(
      DatasetPath fs,
      int snapshots,
      int toDestroy,
      boolean completed,
      int destroyed,
      int failed,
      String error) {
    public Filesystem {
      Objects.requireNonNull(fs, "fs");
      Objects.requireNonNull(error, "error");
      if (toDestroy > snapshots) {
        throw new IllegalArgumentException(
            "toDestroy must not exceed snapshots " + snapshots + ", got " + toDestroy);
      }
    }
  }

  /**
   * What the run has done so far.
   *
   * @param side the side pruned
   * @param state where it is
   * @param error why planning failed ({@code PlanErr}); empty otherwise
   * @param filesystems every planned filesystem, sorted by name: pending and completed
   */
  public record Report(PruneSide side, State state, String error, List<Filesystem> filesystems) {
    public Report {
      Objects.requireNonNull(side, "side");
      Objects.requireNonNull(state, "state");
      Objects.requireNonNull(error, "error");
      filesystems = List.copyOf(filesystems);
    }

    /** The filesystems whose destroy has not run yet. */
    public List<Filesystem> pending() {
      return filesystems.stream().filter(f -> !f.completed()).toList();
    }

    /** The filesystems whose destroy has run. */
    public List<Filesystem> completed() {
      return filesystems.stream().filter(Filesystem::completed).toList();
    }
  }

  private final PruneSide side;
  private State state = State.PLAN;
  private String error = "";
  private final Map<DatasetPath, Filesystem> filesystems = new LinkedHashMap<>();

  /** A run of {@code side} that is planning. */
  public PruneProgress(PruneSide side) {
    this.side = Objects.requireNonNull(side, "side");
  }

  /** The report of a run that is over: every filesystem of {@code r} completed. */
  public static Report of(PruneReport r) {
    PruneProgress p = new PruneProgress(r.side());
    p.planned(List.of());
    r.filesystems().forEach(p::completed);
    p.finished();
    return p.report();
  }

  /** The plan: each filesystem (the side's own name) pending, with its counts. Now Exec. */
  synchronized void planned(List<Filesystem> pending) {
    filesystems.clear();
    pending.forEach(f -> filesystems.put(f.fs(), f));
    state = State.EXEC;
  }

  /** One filesystem's destroy ran. */
  synchronized void completed(FilesystemPruneResult r) {
    Filesystem before = filesystems.get(r.fs());
    int snapshots =
        before != null
            ? before.snapshots()
            : r.destroyed().size() + r.kept().size() + r.failed().size();
    int toDestroy = r.destroyed().size() + r.failed().size();
    String firstError =
        r.failed().isEmpty()
            ? ""
            : r.failed().get(0).snapshot().relativeName() + ": " + r.failed().get(0).error();
    filesystems.put(
        r.fs(),
        new Filesystem(
            r.fs(),
            Math.max(snapshots, toDestroy),
            toDestroy,
            true,
            r.destroyed().size(),
            r.failed().size(),
            firstError));
  }

  /** Every filesystem is done: ExecErr if ZFS refused some destroy, else Done. */
  synchronized void finished() {
    if (state.terminal()) {
      return;
    }
    state =
        filesystems.values().stream().anyMatch(f -> f.failed() > 0) ? State.EXEC_ERR : State.DONE;
  }

  /**
   * The run broke off with {@code why}: PlanErr while planning (a listing failed), ExecErr during
   * the destroys. A run already over keeps its state.
   */
  public synchronized void failed(String why) {
    Objects.requireNonNull(why, "why");
    if (state.terminal()) {
      return;
    }
    state = state == State.PLAN ? State.PLAN_ERR : State.EXEC_ERR;
    error = why;
  }

  /** The run so far. */
  public synchronized Report report() {
    List<Filesystem> all = new ArrayList<>(filesystems.values());
    all.sort(Comparator.comparing(f -> f.fs().toString()));
    return new Report(side, state, error, all);
  }
}
