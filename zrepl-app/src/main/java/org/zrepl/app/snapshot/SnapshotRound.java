package org.zrepl.app.snapshot;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import org.zrepl.domain.dataset.DatasetPath;

/**
 * One snapshot round: when, under which name, what happened per filesystem (sorted by path) and
 * which hooks ran; {@code finished} is when its last hook ended (its duration, for status).
 */
public record SnapshotRound(
    Instant at,
    String name,
    SortedMap<DatasetPath, SnapshotOutcome> results,
    List<HookRun> hooks,
    Instant finished) {

  public SnapshotRound {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(finished, "finished");
    if (finished.isBefore(at)) {
      throw new IllegalArgumentException(
          "finished must not be before at " + at + ", got " + finished);
    }
    Objects.requireNonNull(name, "name");
    results = Collections.unmodifiableSortedMap(new TreeMap<>(results));
    hooks = List.copyOf(hooks);
  }

  /** A round that took no measurable time ({@code finished} is {@code at}). */
  public SnapshotRound(
      Instant at,
      String name,
      SortedMap<DatasetPath, SnapshotOutcome> results,
      List<HookRun> hooks) {
    this(at, name, results, hooks, at);
  }

  static SnapshotRound of(
      Instant at, String name, Map<DatasetPath, SnapshotOutcome> results, List<HookRun> hooks) {
    return new SnapshotRound(at, name, new TreeMap<>(results), hooks);
  }

  static SnapshotRound of(
      Instant at,
      String name,
      Map<DatasetPath, SnapshotOutcome> results,
      List<HookRun> hooks,
      Instant finished) {
    return new SnapshotRound(at, name, new TreeMap<>(results), hooks, finished);
  }

  /** The hooks that ran for {@code fs}, in order. */
  public List<HookRun> hooksOf(DatasetPath fs) {
    return hooks.stream().filter(h -> h.fs().equals(fs)).toList();
  }

  /** The filesystems that got their snapshot, sorted. */
  public List<DatasetPath> taken() {
    return results.entrySet().stream()
        .filter(e -> e.getValue() instanceof SnapshotOutcome.Taken)
        .map(Map.Entry::getKey)
        .toList();
  }

  /** Whether every filesystem got its snapshot. */
  public boolean complete() {
    return taken().size() == results.size();
  }
}
