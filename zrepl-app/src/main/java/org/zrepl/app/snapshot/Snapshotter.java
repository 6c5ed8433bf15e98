package org.zrepl.app.snapshot;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
 */
public final class Snapshotter {

  private static final Logger LOG = LoggerFactory.getLogger(Snapshotter.class);

  private final Zfs zfs;
  private final SnapshotNameFormat format;
  private final SnapshotHooks hooks;
  private final Clock clock;
  private final SnapshotListener listener;
  private final Executor notifier;

  public Snapshotter(
      Zfs zfs,
      SnapshotNameFormat format,
      SnapshotHooks hooks,
      Clock clock,
      SnapshotListener listener,
      Executor notifier) {
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
  public SnapshotRound snapshot(List<DatasetPath> filesystems) {
    Instant at = clock.instant();
    String name = format.name(at);
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
    SnapshotRound round = SnapshotRound.of(at, name, results, hookRuns);
    LOG.info(
        "snapshot round @{}: {} of {} filesystems snapshotted",
        name,
        round.taken().size(),
        filesystems.size());
    notifyListener(round);
    return round;
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
