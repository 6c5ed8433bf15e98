package org.zrepl.app.job;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.zrepl.app.config.Job;
import org.zrepl.app.config.Snapshotting;
import org.zrepl.app.config.Target;
import org.zrepl.app.endpoint.LocalReceiver;
import org.zrepl.app.endpoint.LocalSender;
import org.zrepl.app.endpoint.ReceiverMapping;
import org.zrepl.app.prune.PruneSide;
import org.zrepl.app.prune.PruneTargets;
import org.zrepl.app.replication.Sleeper;
import org.zrepl.app.snapshot.SnapshotSetup;
import org.zrepl.domain.dataset.DatasetFilter;
import org.zrepl.port.endpoint.Receiver;
import org.zrepl.port.endpoint.Sender;
import org.zrepl.port.process.CommandRunner;
import org.zrepl.port.zfs.Zfs;

/**
 * The active side of a replication across machines, as the same {@link LocalJob} machinery with one
 * endpoint remote: {@code push} snapshots and sends its filesystems to a remote {@link Receiver};
 * {@code pull} receives from a remote {@link Sender} into its {@code root_fs} (or mapping). Each
 * prunes its own side here ({@code keep_sender} for push, {@code keep_receiver} for pull); pruning
 * the remote side over the RPC is not implemented yet.
 */
public final class ActiveJobs {
  private ActiveJobs() {}

  /** A push job sending to {@code remote} (a {@code RemoteReceiver}). */
  public static LocalJob push(
      Job.Push config,
      Zfs zfs,
      Receiver remote,
      CommandRunner hooks,
      Clock clock,
      Scheduler scheduler,
      Sleeper sleeper,
      Executor notifier) {
    SnapshotSetup setup = SnapshotSetup.of(config.snapshotting(), clock.getZone());
    DatasetFilter filter = config.filesystems().filter();
    Sender sender =
        new LocalSender(zfs, filter, config.name(), ReplicationBinding.sendFlags(config.send()));
    LocalJob.Parts parts =
        new LocalJob.Parts(
            config.name(),
            zfs,
            filter,
            setup.schedule(),
            sender,
            remote,
            ReplicationBinding.policy(config),
            Optional.of(() -> PruneTargets.of(config, PruneSide.SENDER, zfs)),
            Optional.empty());
    return LocalJob.assemble(parts, setup, hooks, clock, scheduler, sleeper, notifier);
  }

  /** A pull job receiving from {@code remote} (a {@code RemoteSender}); it takes no snapshots. */
  public static LocalJob pull(
      Job.Pull config,
      Zfs zfs,
      Sender remote,
      CommandRunner hooks,
      Clock clock,
      Scheduler scheduler,
      Sleeper sleeper,
      Executor notifier) {
    SnapshotSetup setup = SnapshotSetup.of(new Snapshotting.Manual(), clock.getZone());
    ReceiverMapping mapping;
    Optional<java.util.function.Supplier<org.zrepl.app.prune.PruneTarget>> prune;
    if (config.target() instanceof Target.RootFs r) {
      mapping = s -> Optional.of(r.root().append(s.components()));
      prune = Optional.of(() -> PruneTargets.of(config, PruneSide.RECEIVER, zfs));
    } else {
      mapping = ReceiverMapping.of(((Target.Mapped) config.target()).mapping().mapping());
      prune = Optional.empty();
    }
    Receiver receiver =
        new LocalReceiver(
            zfs,
            mapping,
            config.name(),
            ReplicationBinding.receiveOverrides(config.recv()),
            ReplicationBinding.receiveExclusions(config.recv()));
    LocalJob.Parts parts =
        new LocalJob.Parts(
            config.name(),
            zfs,
            DatasetFilter.of(Map.of()),
            setup.schedule(),
            remote,
            receiver,
            ReplicationBinding.policy(config),
            Optional.empty(),
            prune);
    return LocalJob.assemble(parts, setup, hooks, clock, scheduler, sleeper, notifier);
  }
}
