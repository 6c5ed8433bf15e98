package org.zrepl.app.job;

import java.util.Objects;
import java.util.function.Supplier;
import org.zrepl.app.prune.PruneRun;
import org.zrepl.app.replication.ReplicationPolicy;
import org.zrepl.app.snapshot.SnapshotSchedule;
import org.zrepl.domain.dataset.DatasetFilter;
import org.zrepl.port.endpoint.Receiver;
import org.zrepl.port.endpoint.Sender;
import org.zrepl.port.zfs.Zfs;

/**
 * A replicating job's configuration bound to its ports: what {@link ReplicationJob} runs. {@link
 * ReplicationJob#of} binds a {@code local} job (both endpoints on the local ZFS), {@link
 * ActiveJobs} a {@code push} or {@code pull} job (one endpoint remote).
 *
 * @param name the job's name
 * @param zfs the local ZFS, where the job's own snapshots are taken
 * @param selects the filesystems the job snapshots (none for pull)
 * @param schedule when snapshot rounds are due
 * @param sender the sending endpoint
 * @param receiver the receiving endpoint
 * @param policy how the engine replicates
 * @param senderPrune the sender's {@code keep_sender} pruning, built anew for each invocation
 * @param receiverPrune the receiver's {@code keep_receiver} pruning, built anew for each invocation
 * @param afterReplication runs when each replication run ends (also after a failed one), before
 *     pruning: a local sender records the run's cursors ({@link
 *     org.zrepl.app.endpoint.LocalSender#recordCursors}); what it throws is one of the invocation's
 *     errors
 */
record BoundReplicationJob(
    String name,
    Zfs zfs,
    DatasetFilter selects,
    SnapshotSchedule schedule,
    Sender sender,
    Receiver receiver,
    ReplicationPolicy policy,
    Supplier<PruneRun> senderPrune,
    Supplier<PruneRun> receiverPrune,
    Runnable afterReplication) {

  BoundReplicationJob {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(zfs, "zfs");
    Objects.requireNonNull(selects, "selects");
    Objects.requireNonNull(schedule, "schedule");
    Objects.requireNonNull(sender, "sender");
    Objects.requireNonNull(receiver, "receiver");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(senderPrune, "senderPrune");
    Objects.requireNonNull(receiverPrune, "receiverPrune");
    Objects.requireNonNull(afterReplication, "afterReplication");
  }
}
