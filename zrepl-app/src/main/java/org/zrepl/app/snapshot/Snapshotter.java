package org.zrepl.app.snapshot;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zrepl.app.replication.Sleeper;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.snapshot.SnapshotNameFormat;
import org.zrepl.port.zfs.Zfs;
import org.zrepl.port.zfs.ZfsException;

/**
 * Takes one round of snapshots: names it from the clock, runs the pre-snapshot hooks per
 * filesystem, snapshots every filesystem whose hooks allow it in ONE {@code zfs snapshot} where
 * {@link org.zrepl.port.zfs.ZfsCapabilities#atomicMultiSnapshot()} holds (else one by one, with a
 * warning: zfs-fuse cannot), runs the post-snapshot hooks, then hands the round to the listener
 * through the notification executor without waiting for it.
 *
 * <p>Names have one-second resolution (zrepl's formats), so a second round within the same second
 * as the previous one ({@code zrepl signal snapshot} right after a scheduled round) would name an
 * existing snapshot. Such a round waits until the next second and takes its name from then; if the
 * format still gives the same name (a custom format coarser than seconds), the round fails for
 * every filesystem with a message naming the existing snapshot.
 */
public final class Snapshotter {

  private static final Logger LOG = LoggerFactory.getLogger(Snapshotter.class);

  private final Zfs zfs;
  private final SnapshotNameFormat format;
  private final SnapshotHooks hooks;
  private final Clock clock;
  private final SnapshotListener listener;
  private final Executor notifier;
  private final Sleeper sleeper;
  private String lastName;

  /**
   * The snapshotter of one job; {@code sleeper} waits for a new name after a round within the same
   * second.
   */
  public Snapshotter(
      Zfs zfs,
      SnapshotNameFormat format,
      SnapshotHooks hooks,
      Clock clock,
      Sleeper sleeper,
      SnapshotListener listener,
      Executor notifier) {
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    this.zfs = Objects.requireNonNull(zfs, "zfs");
    this.format = Objects.requireNonNull(format, "format");
    this.hooks = Objects.requireNonNull(hooks, "hooks");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.notifier = Objects.requireNonNull(notifier, "notifier");
  }

  public SnapshotNameFormat format() {
    return format;
  }

  /** Snapshots {@code filesystems} now; failures are in the result, not thrown. */
  public synchronized SnapshotRound snapshot(List<DatasetPath> filesystems) {
    Instant at = clock.instant();
    String name = format.name(at);
    if (name.equals(lastName)) {
      Instant next = at.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
      LOG.info("snapshot @{} was taken a moment ago; waiting until {} for a new name", name, next);
      Optional<String> refused = waitUntil(next);
      at = clock.instant();
      String later = format.name(at);
      if (refused.isEmpty() && later.equals(name)) {
        refused =
            Optional.of(
                "this job took @"
                    + name
                    + " already and the snapshot name format still gives that name at "
                    + at.truncatedTo(ChronoUnit.SECONDS)
                    + "; the next round will get a new name");
      }
      if (refused.isPresent()) {
        return refuse(filesystems, name, at, refused.get());
      }
      name = later;
    }
    lastName = name;
    return round(filesystems, at, name);
  }

  private SnapshotRound round(List<DatasetPath> filesystems, Instant at, String name) {
    Map<DatasetPath, SnapshotOutcome> results = new HashMap<>();
    List<HookRun> hookRuns = new ArrayList<>();
    Map<DatasetPath, SnapshotHooks.PreEdge> pre = new LinkedHashMap<>();
    List<DatasetPath> eligible = new ArrayList<>();
    for (DatasetPath fs : filesystems) {
      SnapshotHooks.PreEdge edge = hooks.runPre(fs, name, false);
      pre.put(fs, edge);
      hookRuns.addAll(edge.runs());
      if (edge.fatal()) {
        results.put(fs, new SnapshotOutcome.SkippedByHook(edge.runs().get(edge.runs().size() - 1)));
      } else {
        eligible.add(fs);
      }
    }
    results.putAll(take(eligible, name));
    pre.forEach((fs, edge) -> hookRuns.addAll(hooks.runPost(fs, name, false, edge)));
    SnapshotRound round = SnapshotRound.of(at, name, results, hookRuns, clock.instant());
    LOG.info(
        "snapshot round @{}: {} of {} filesystems snapshotted",
        name,
        round.taken().size(),
        filesystems.size());
    notifyListener(round);
    return round;
  }

  /** Waits until {@code t}; a reason to refuse the round if interrupted. */
  private Optional<String> waitUntil(Instant t) {
    try {
      Duration d = Duration.between(clock.instant(), t);
      if (!d.isNegative()) {
        sleeper.sleep(d);
      }
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted while waiting for a new snapshot name");
    }
  }

  private SnapshotRound refuse(List<DatasetPath> filesystems, String name, Instant at, String why) {
    LOG.warn("snapshot round refused: {}", why);
    Map<DatasetPath, SnapshotOutcome> results = new HashMap<>();
    filesystems.forEach(fs -> results.put(fs, new SnapshotOutcome.Failed(name, why)));
    return SnapshotRound.of(at, name, results, List.of()); // nothing taken: nobody to notify
  }

  private Map<DatasetPath, SnapshotOutcome> take(List<DatasetPath> filesystems, String name) {
    Map<DatasetPath, SnapshotOutcome> results = new HashMap<>();
    if (filesystems.isEmpty()) {
      return results;
    }
    if (filesystems.size() == 1 || zfs.capabilities().atomicMultiSnapshot()) {
      SnapshotOutcome outcome;
      try {
        zfs.snapshot(filesystems, name);
        outcome = new SnapshotOutcome.Taken(name);
      } catch (ZfsException e) {
        LOG.warn("cannot snapshot {} as @{}: {}", filesystems, name, e.getMessage());
        outcome = new SnapshotOutcome.Failed(name, e.getMessage());
      }
      for (DatasetPath fs : filesystems) {
        results.put(fs, outcome);
      }
      return results;
    }
    LOG.warn(
        "{} cannot snapshot several filesystems atomically; taking @{} of {} filesystems one by one",
        zfs.capabilities().flavour(),
        name,
        filesystems.size());
    for (DatasetPath fs : filesystems) {
      try {
        zfs.snapshot(List.of(fs), name);
        results.put(fs, new SnapshotOutcome.Taken(name));
      } catch (ZfsException e) {
        LOG.warn("cannot snapshot {}@{}: {}", fs, name, e.getMessage());
        results.put(fs, new SnapshotOutcome.Failed(name, e.getMessage()));
      }
    }
    return results;
  }

  private void notifyListener(SnapshotRound round) {
    try {
      notifier.execute(
          () -> {
            try {
              listener.snapshotsTaken(round);
            } catch (RuntimeException e) {
              LOG.warn("snapshot listener failed after round @{}", round.name(), e);
            }
          });
    } catch (RejectedExecutionException e) {
      LOG.warn("cannot notify dependants of round @{}: {}", round.name(), e.getMessage());
    }
  }
}
