package org.zrepl.app.job;

import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executor;
import java.util.function.UnaryOperator;
import org.zrepl.app.config.Job;
import org.zrepl.app.endpoint.EndpointNames;
import org.zrepl.app.endpoint.LocalReceiver;
import org.zrepl.app.endpoint.LocalSender;
import org.zrepl.app.endpoint.ReceiverMapping;
import org.zrepl.app.endpoint.TargetCursors;
import org.zrepl.app.prune.PruneRun;
import org.zrepl.app.prune.PruneSide;
import org.zrepl.app.prune.PruneTargets;
import org.zrepl.app.replication.ListingCache;
import org.zrepl.app.replication.Sleeper;
import org.zrepl.app.snapshot.SnapshotSetup;
import org.zrepl.domain.dataset.DatasetFilter;
import org.zrepl.port.endpoint.Receiver;
import org.zrepl.port.endpoint.Sender;
import org.zrepl.port.process.CommandRunner;
import org.zrepl.port.zfs.Zfs;
import org.zrepl.port.zfs.ZfsCapabilities;

/**
 * zrepl's {@code local} job bound to a {@link ReplicationJob}: both endpoints on the local ZFS, a
 * {@link LocalSender} of the filesystems its {@code mapping} selects and a {@link LocalReceiver}
 * that maps them; {@code keep_sender} and {@code keep_receiver} prune the local ZFS. ({@link
 * ActiveJobs} binds {@code push} and {@code pull}.)
 */
public final class LocalJob {

  /**
   * What each snapshot listing also fetches: {@code referenced}, the size of a full send of the
   * snapshot (the sender's estimate of a full step, which then starts no {@code zfs get}).
   */
  private static final Set<String> SNAPSHOT_PROPERTIES = Set.of("referenced");

  private LocalJob() {}

  /**
   * The job as configured. {@code hooks} runs the snapshot hooks; {@code sleeper} waits between
   * attempts and for the bandwidth limit; the snapshotter tells the job of each round through
   * {@code notifier}. Throws IllegalArgumentException if the ZFS cannot apply the job's {@code
   * recv} property options.
   */
  public static ReplicationJob of(
      Job.Local config,
      Zfs zfs,
      CommandRunner hooks,
      Clock clock,
      Scheduler scheduler,
      Sleeper sleeper,
      Executor notifier) {
    return of(config, zfs, hooks, clock, scheduler, sleeper, notifier, UnaryOperator.identity());
  }

  /** As {@link #of}, with the sender wrapped by {@code senderDecorator} (a fault, in tests). */
  static ReplicationJob of(
      Job.Local config,
      Zfs zfs,
      CommandRunner hooks,
      Clock clock,
      Scheduler scheduler,
      Sleeper sleeper,
      Executor notifier,
      UnaryOperator<Sender> senderDecorator) {
    return bind(
        config,
        new ListingCache(
            zfs,
            LocalJob::listedProperties,
            caps -> SNAPSHOT_PROPERTIES,
            config.mapping().mapping().reach().orElse(Set.of())),
        hooks,
        clock,
        scheduler,
        sleeper,
        notifier,
        senderDecorator);
  }

  /**
   * What the receiver's listing asks for and, without bookmarks, the sender's cursors property
   * (read before each step's cursor moves and by sender pruning): fetched by the first listing of
   * an invocation, so that the steps read them from it instead of one {@code zfs get} each.
   */
  private static Set<String> listedProperties(ZfsCapabilities caps) {
    Set<String> p = new TreeSet<>(Set.of(EndpointNames.PLACEHOLDER_PROPERTY));
    if (caps.resumableReceive()) {
      p.add("receive_resume_token");
    }
    if (!caps.bookmarks()) {
      p.add(TargetCursors.PROPERTY);
    }
    return Set.copyOf(p);
  }

  /**
   * Binds the job over {@code zfs}, a listing cache: each invocation lists through it once (the job
   * opens a session per invocation, see {@link ReplicationJob}).
   */
  private static ReplicationJob bind(
      Job.Local config,
      ListingCache zfs,
      CommandRunner hooks,
      Clock clock,
      Scheduler scheduler,
      Sleeper sleeper,
      Executor notifier,
      UnaryOperator<Sender> senderDecorator) {
    SnapshotSetup setup = SnapshotSetup.of(config.snapshotting(), clock.getZone());
    DatasetFilter filter = config.mapping().mapping().asFilter();
    LocalSender sender =
        ReplicationBinding.sender(
                zfs,
                filter,
                config.name(),
                config.send(),
                ReplicationBinding.protection(config.replication()))
            .recordCursorsPerRun();
    Receiver receiver =
        ReplicationBinding.receiver(
                zfs,
                ReceiverMapping.of(config.mapping().mapping()),
                config.name(),
                config.recv(),
                Optional.empty())
            .protectedBy(ReplicationBinding.protection(config.replication()));
    BoundReplicationJob job =
        new BoundReplicationJob(
            config.name(),
            zfs,
            filter,
            setup.schedule(),
            senderDecorator.apply(sender),
            receiver,
            ReplicationBinding.policy(config),
            () -> PruneRun.of(PruneTargets.of(config, PruneSide.SENDER, zfs), zfs),
            () -> PruneRun.of(PruneTargets.of(config, PruneSide.RECEIVER, zfs), zfs),
            sender::recordCursors);
    return ReplicationJob.assemble(job, setup, hooks, clock, scheduler, sleeper, notifier);
  }
}
