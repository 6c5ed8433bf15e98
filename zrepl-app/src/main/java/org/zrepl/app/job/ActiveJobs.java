package org.zrepl.app.job;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import org.zrepl.app.config.Job;
import org.zrepl.app.config.Snapshotting;
import org.zrepl.app.config.Target;
import org.zrepl.app.endpoint.EndpointNames;
import org.zrepl.app.endpoint.LocalSender;
import org.zrepl.app.endpoint.ReceiverMapping;
import org.zrepl.app.endpoint.TargetCursors;
import org.zrepl.app.prune.ReplicationPruning;
import org.zrepl.app.replication.ListingCache;
import org.zrepl.app.replication.Sleeper;
import org.zrepl.app.snapshot.SnapshotSetup;
import org.zrepl.domain.dataset.DatasetFilter;
import org.zrepl.port.endpoint.Receiver;
import org.zrepl.port.endpoint.Sender;
import org.zrepl.port.process.CommandRunner;
import org.zrepl.port.zfs.Zfs;

/**
 * The active side of a replication across machines, as the same {@link ReplicationJob} machinery
 * with one endpoint remote: {@code push} snapshots and sends its filesystems to a remote {@link
 * Receiver}; {@code pull} receives from a remote {@link Sender} into its {@code root_fs} (or
 * mapping). Each prunes both sides after replicating, through the endpoint ports ({@link
 * ReplicationPruning}): {@code keep_sender} on the sender, {@code keep_receiver} on the receiver,
 * the remote one over the RPC, the incremental base protected on both.
 */
public final class ActiveJobs {
  private ActiveJobs() {}

  /** A push job sending to {@code remote} (a {@code RemoteReceiver}). */
  public static ReplicationJob push(
      Job.Push config,
      Zfs localZfs,
      Receiver remote,
      CommandRunner hooks,
      Clock clock,
      Scheduler scheduler,
      Sleeper sleeper,
      Executor notifier) {
    SnapshotSetup setup = SnapshotSetup.of(config.snapshotting(), clock.getZone());
    DatasetFilter filter = config.filesystems().filter();
    // Each invocation (snapshot, replicate, prune the sender) lists below the filter's named
    // datasets once, as a local job does: the job opens a session per invocation.
    Zfs zfs =
        new ListingCache(
            localZfs,
            caps ->
                caps.bookmarks()
                    ? Set.of(EndpointNames.PLACEHOLDER_PROPERTY)
                    : Set.of(EndpointNames.PLACEHOLDER_PROPERTY, TargetCursors.PROPERTY),
            caps -> Set.of("referenced"),
            filter.reach().orElse(Set.of()));
    LocalSender sender =
        ReplicationBinding.sender(
                zfs,
                filter,
                config.name(),
                config.send(),
                ReplicationBinding.pushProtection(config.name(), config.replication()))
            .recordCursorsPerRun();
    String name = config.name();
    BoundReplicationJob job =
        new BoundReplicationJob(
            name,
            zfs,
            filter,
            setup.schedule(),
            sender,
            remote,
            ReplicationBinding.policy(config),
            () ->
                ReplicationPruning.senderSide(
                    name,
                    config.pruning().keepSender(),
                    sender,
                    remote,
                    TargetCursors.Lookup.of(zfs)),
            () ->
                ReplicationPruning.receiverSide(
                    name, config.pruning().keepReceiver(), sender, remote),
            sender::recordCursors);
    return ReplicationJob.assemble(job, setup, hooks, clock, scheduler, sleeper, notifier);
  }

  /** A pull job receiving from {@code remote} (a {@code RemoteSender}); it takes no snapshots. */
  public static ReplicationJob pull(
      Job.Pull config,
      Zfs zfs,
      Sender remote,
      CommandRunner hooks,
      Clock clock,
      Scheduler scheduler,
      Sleeper sleeper,
      Executor notifier) {
    SnapshotSetup setup = SnapshotSetup.of(new Snapshotting.Manual(), clock.getZone());
    Receiver receiver =
        ReplicationBinding.receiver(
                zfs, mapping(config.target()), config.name(), config.recv(), Optional.empty())
            .protectedBy(ReplicationBinding.pullProtection(config.name(), config.replication()));
    String name = config.name();
    BoundReplicationJob job =
        new BoundReplicationJob(
            name,
            zfs,
            DatasetFilter.of(Map.of()),
            setup.schedule(),
            remote,
            receiver,
            ReplicationBinding.policy(config),
            () ->
                ReplicationPruning.senderSide(
                    name, config.pruning().keepSender(), remote, receiver),
            () ->
                ReplicationPruning.receiverSide(
                    name, config.pruning().keepReceiver(), remote, receiver),
            () -> {}); // the remote sender records its cursors itself
    return ReplicationJob.assemble(job, setup, hooks, clock, scheduler, sleeper, notifier);
  }

  /** Where a pull job keeps a source filesystem: below its {@code root_fs}, or mapped. */
  public static ReceiverMapping mapping(Target target) {
    if (target instanceof Target.RootFs r) {
      return s -> Optional.of(r.root().append(s.components()));
    }
    return ReceiverMapping.of(((Target.Mapped) target).mapping().mapping());
  }
}
