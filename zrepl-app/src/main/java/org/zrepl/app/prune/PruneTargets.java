package org.zrepl.app.prune;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.zrepl.app.config.Job;
import org.zrepl.app.config.Target;
import org.zrepl.app.endpoint.TargetCursors;
import org.zrepl.domain.dataset.DatasetMapping;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.zfs.DatasetInfo;
import org.zrepl.port.zfs.Zfs;

/**
 * Which snapshots a configured job prunes on this machine, per side. A sending side reads its
 * replication cursor (zrepl's {@code zrepl_CURSOR_G_<guid>_J_<job>} bookmark) for {@code
 * not_replicated}. For a {@code local} job both sides are here, so each side's incremental base is
 * protected; for push and pull the peer is on another machine and unknown offline ({@link
 * ReplicationPruning} lists both through the job's connection); a {@code source} prunes by its own
 * {@code keep} ({@link SourcePruning#offline}).
 */
public final class PruneTargets {

  private PruneTargets() {}

  /** The side {@code zrepl test prune} uses when none is given. */
  public static PruneSide defaultSide(Job job) {
    if (job instanceof Job.Snap) {
      return PruneSide.LOCAL;
    }
    if (job instanceof Job.Pull) {
      return PruneSide.RECEIVER;
    }
    // a push job's own side, a source's (which prunes as a sender)
    return PruneSide.SENDER;
  }

  /**
   * The target for {@code side} of {@code job}; {@code zfs} is consulted only for a local job's
   * peer side. Throws IllegalArgumentException naming the job when it does not prune that side
   * here.
   */
  public static PruneTarget of(Job job, PruneSide side, Zfs zfs) {
    if (job instanceof Job.Snap s && side == PruneSide.LOCAL) {
      return new PruneTarget(
          s.name(), side, s.filesystems().filter()::matches, s.keep(), PruneContexts.none());
    }
    if (job instanceof Job.Push p && side == PruneSide.SENDER) {
      return new PruneTarget(
          p.name(),
          side,
          p.filesystems().filter()::matches,
          p.pruning().keepSender(),
          PruneContexts.sender(p.name(), Map.of(), TargetCursors.Lookup.of(zfs)));
    }
    if (job instanceof Job.Pull p
        && side == PruneSide.RECEIVER
        && p.target() instanceof Target.RootFs root) {
      DatasetPath r = root.root();
      return new PruneTarget(
          p.name(),
          side,
          fs -> fs.hasPrefix(r) && !fs.equals(r),
          p.pruning().keepReceiver(),
          PruneContexts.none());
    }
    if (job instanceof Job.Local l && side != PruneSide.LOCAL) {
      return local(l, side, zfs);
    }
    if (job instanceof Job.Source s && side == PruneSide.SENDER) {
      return SourcePruning.offline(s);
    }
    String prefix = "job '" + job.name() + "' (" + job.type() + ") ";
    if (job instanceof Job.Sink) {
      throw new IllegalArgumentException(
          prefix
              + "does not prune; the push job prunes the sink by its keep_receiver"
              + " (zrepl test prune --job PUSH_JOB --side receiver, on the pushing machine)");
    }
    if (job instanceof Job.Pull && side == PruneSide.RECEIVER) {
      throw new IllegalArgumentException(
          prefix
              + "maps the sender's dataset names, which are only known to the source;"
              + " its receiver side needs the source reachable through the job's connect:");
    }
    if ((job instanceof Job.Push && side == PruneSide.RECEIVER)
        || (job instanceof Job.Pull && side == PruneSide.SENDER)) {
      throw new IllegalArgumentException(
          prefix
              + "has its "
              + side.word()
              + " side on the other machine; listing it needs the peer reachable through the"
              + " job's connect:");
    }
    throw new IllegalArgumentException(
        prefix
            + "has no "
            + side.word()
            + " side to prune on this machine; try --side "
            + defaultSide(job).word());
  }

  private static PruneTarget local(Job.Local job, PruneSide side, Zfs zfs) {
    DatasetMapping mapping = job.mapping().mapping();
    Set<DatasetPath> existing = new java.util.HashSet<>();
    for (DatasetInfo d : zfs.listDatasets(List.of(), Set.of())) {
      existing.add(d.path());
    }
    Map<DatasetPath, DatasetPath> senderToReceiver = new HashMap<>();
    for (DatasetPath fs : existing) {
      Optional<DatasetPath> to = mapping.map(fs);
      if (to.isPresent() && existing.contains(to.get())) {
        senderToReceiver.put(fs, to.get());
      }
    }
    Map<DatasetPath, List<FilesystemVersion>> peer = new HashMap<>();
    if (!senderToReceiver.isEmpty()) {
      boolean sender = side == PruneSide.SENDER;
      Map<DatasetPath, List<FilesystemVersion>> versions =
          zfs.listVersions(sender ? senderToReceiver.values() : senderToReceiver.keySet());
      senderToReceiver.forEach(
          (from, to) -> {
            if (sender) {
              peer.put(from, versions.get(to));
            } else {
              peer.put(to, versions.get(from));
            }
          });
    }
    if (side == PruneSide.SENDER) {
      return new PruneTarget(
          job.name(),
          side,
          fs -> mapping.map(fs).isPresent(),
          job.pruning().keepSender(),
          PruneContexts.sender(job.name(), peer, TargetCursors.Lookup.of(zfs)));
    }
    PruneContexts contexts = PruneContexts.peer(peer, Map.of());
    Set<DatasetPath> targets = Set.copyOf(senderToReceiver.values());
    return new PruneTarget(
        job.name(), side, targets::contains, job.pruning().keepReceiver(), contexts);
  }
}
