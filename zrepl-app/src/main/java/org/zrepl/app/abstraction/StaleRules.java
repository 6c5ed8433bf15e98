package org.zrepl.app.abstraction;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.zrepl.domain.dataset.DatasetPath;

/**
 * Which abstractions are stale, as zrepl decides it (its endpoint's {@code listStaleFiltering}),
 * per filesystem and job id:
 *
 * <ul>
 *   <li>replication cursors and last-received holds: all but the newest (by createtxg), because
 *       zrepl always moves them;
 *   <li>step holds: with a replication cursor, those at or before it; without one (an initial
 *       replication), all but the newest step hold, which may still hold an interrupted step's
 *       {@code to};
 *   <li>tentative cursors: at or before the replication cursor (ours; zrepl keeps them all);
 *   <li>v1 cursors name no job and stay.
 * </ul>
 *
 * With the configured jobs given (the command, not the daemon), everything of a job id that no
 * configured job owns ({@code <job>} or {@code <job>_C_<client>}) is stale too, including its
 * {@code zrepl:cursors} entry.
 */
final class StaleRules {

  private StaleRules() {}

  private record Group(DatasetPath fs, String jobId) {}

  static Staleness partition(List<Abstraction> all, Optional<Predicate<String>> configured) {
    List<Abstraction> live = new ArrayList<>();
    List<Staleness.Stale> stale = new ArrayList<>();
    Map<Group, List<Abstraction>> groups = new LinkedHashMap<>();
    for (Abstraction a : all) {
      if (a.jobId().isEmpty()) {
        live.add(a);
      } else if (configured.isPresent() && !configured.get().test(a.jobId().get())) {
        stale.add(
            new Staleness.Stale(
                a, "job '" + a.jobId().get() + "' is not a job of this configuration"));
      } else {
        groups.computeIfAbsent(new Group(a.fs(), a.jobId().get()), g -> new ArrayList<>()).add(a);
      }
    }
    for (List<Abstraction> group : groups.values()) {
      partitionGroup(group, live, stale);
    }
    return new Staleness(live, stale);
  }

  private static void partitionGroup(
      List<Abstraction> group, List<Abstraction> live, List<Staleness.Stale> stale) {
    Optional<Abstraction> cursor = newest(group, AbstractionType.CURSOR_V2);
    Optional<Abstraction> lastReceived = newest(group, AbstractionType.LAST_RECEIVED_HOLD);
    Optional<Abstraction> newestStep = newest(group, AbstractionType.STEP_HOLD);
    for (Abstraction a : group) {
      Optional<String> why =
          switch (a.type()) {
            case CURSOR_V2 -> notNewest(a, cursor, "replication cursor", "#");
            case LAST_RECEIVED_HOLD -> notNewest(a, lastReceived, "last-received hold", "@");
            case STEP_HOLD, TENTATIVE_CURSOR -> stepStale(a, cursor, newestStep);
            case CURSOR_V1, CURSOR_PROPERTY -> Optional.empty();
          };
      if (why.isPresent()) {
        stale.add(new Staleness.Stale(a, why.get()));
      } else {
        live.add(a);
      }
    }
  }

  private static Optional<Abstraction> newest(List<Abstraction> group, AbstractionType type) {
    return group.stream()
        .filter(a -> a.type() == type)
        .max(Comparator.comparingLong(Abstraction::createTxg).thenComparing(Abstraction::name));
  }

  private static Optional<String> notNewest(
      Abstraction a, Optional<Abstraction> newest, String what, String delimiter) {
    Abstraction n = newest.orElseThrow();
    if (n.equals(a)) {
      return Optional.empty();
    }
    return Optional.of(
        "not the job's newest " + what + " (that is on " + delimiter + n.name() + ")");
  }

  private static Optional<String> stepStale(
      Abstraction a, Optional<Abstraction> cursor, Optional<Abstraction> newestStep) {
    if (cursor.isPresent()) {
      Abstraction c = cursor.get();
      return a.createTxg() <= c.createTxg()
          ? Optional.of(
              "at or before the job's replication cursor #"
                  + c.name()
                  + " (createtxg "
                  + a.createTxg()
                  + " <= "
                  + c.createTxg()
                  + ")")
          : Optional.empty();
    }
    if (a.type() == AbstractionType.STEP_HOLD && newestStep.isPresent()) {
      Abstraction n = newestStep.get();
      return a.createTxg() < n.createTxg()
          ? Optional.of(
              "older than the job's newest step hold (on @"
                  + n.name()
                  + ") and the job has no replication cursor")
          : Optional.empty();
    }
    return Optional.empty();
  }
}
