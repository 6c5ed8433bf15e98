/**
 * Jobs that run on their own: {@link org.zrepl.app.job.SnapJob} (snapshot and prune) and {@link
 * org.zrepl.app.job.ReplicationJob} (snapshot, replicate through the endpoint ports and the
 * replication engine, prune both sides), which runs {@code local}, {@code push} and {@code pull}
 * alike: {@link org.zrepl.app.job.LocalJob} binds a local job to it, {@link
 * org.zrepl.app.job.ActiveJobs} a push or pull job with one endpoint remote.
 *
 * <p>A replicating job is made of: its loop ({@link org.zrepl.app.job.ReplicationJob}: wakeup,
 * reset, state; {@link org.zrepl.app.job.SnapshotLoop}: the scheduled snapshot rounds), one lock
 * ({@link org.zrepl.app.job.JobTurns}: rounds and invocations take turns), one invocation ({@link
 * org.zrepl.app.job.InvocationRun}: snapshot if due, replicate, prune the sender, prune the
 * receiver), the replication round ({@link org.zrepl.app.job.ReplicationRound}), the pruning of one
 * side ({@link org.zrepl.app.job.PruningRound}, which keeps the side's prune run as it goes) and
 * its snapshotting ({@link org.zrepl.app.job.JobSnapshotting}, whose {@link
 * org.zrepl.app.job.Snapper} says what the snapshotter is doing in zrepl's snapper states). {@link
 * org.zrepl.app.job.ReplicationBinding} binds a replicating job's configuration to the engine's
 * policy and the endpoints' send and receive options.
 *
 * <p>Each job organizes its rounds through the {@link org.zrepl.app.job.Scheduler} seam, runs one
 * invocation now with {@code runOnce()} ({@code zrepl run --once}) and exposes an immutable state
 * record. Jobs wire use cases together; decisions belong in the domain, ZFS access behind the port.
 * No sleeping and no {@code Instant.now()}: time is an injected clock.
 */
package org.zrepl.app.job;
