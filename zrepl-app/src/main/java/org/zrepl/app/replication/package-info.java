/**
 * The replication engine: the one algorithm every job (push, pull, local) runs between a {@link
 * org.zrepl.port.endpoint.Sender} and a {@link org.zrepl.port.endpoint.Receiver}.
 *
 * <p>Entry point:
 *
 * <pre>{@code
 * ReplicationEngine engine = new ReplicationEngine(clock, Sleeper.system());
 * ReplicationReport report = engine.run(sender, receiver, ReplicationPolicy.defaults(), listener);
 * if (!report.isSuccess()) { ... report.needingAttention() names the failed filesystems ... }
 * }</pre>
 *
 * <p>A run lists both sides in four calls, plans each filesystem with the domain's {@code
 * ReplicationPlanner} (batching incrementals into {@code zfs send -I} with {@code StepBatching}
 * unless the policy says not to), and executes the steps: the filesystem whose next snapshot is
 * oldest goes first; a filesystem's initial replication waits for its ancestors' first step; {@code
 * concurrencySteps} steps run at once; a temporary failure ({@code
 * EndpointException.isTemporary()}) is retried up to {@code maxAttempts} times, resuming from the
 * receiver's token where it kept one; the job-wide bandwidth limit is a token bucket over the
 * stream. Streams pass through in chunks of at most 64 KiB, never whole. Progress arrives at a
 * {@link org.zrepl.app.replication.ProgressListener} as {@link
 * org.zrepl.app.replication.ProgressEvent}s; the {@link
 * org.zrepl.app.replication.ReplicationReport} has one {@link
 * org.zrepl.app.replication.FilesystemResult} per filesystem (ok, conflict, failed) and the
 * guarantees the endpoints' ZFS cannot give.
 *
 * <p>Resuming: a receiver's resume token is opaque, so the engine resumes it as the filesystem's
 * first planned step, then releases what it held for that guess, moves the cursor to what arrived
 * and replans the filesystem. If the sender cannot resume (its snapshot is gone), the step starts
 * afresh and the receiver discards its partial state. A conflict-resolution rule ({@code
 * RollbackThenIncremental}) rolls the receiver back ({@code Receiver.rollback}) before the first
 * step.
 *
 * <p>{@link org.zrepl.app.replication.ListingCache} is the {@code Zfs} decorator a local job lists
 * through: inside one invocation (a session) planning, the steps and both prunings share one
 * listing of the mapping's reach and one listing of each filesystem's snapshots, and a step's
 * property reads of its filesystems are answered from that listing; whatever a call through it
 * changes is forgotten at once (only what it can have changed; a user property it set is written
 * in), and nothing is remembered between invocations.
 *
 * <p>Time comes only from the injected {@code Clock} and {@link org.zrepl.app.replication.Sleeper}.
 * Does not belong here: ZFS calls (the endpoints make them), config parsing, scheduling of runs
 * (the job does that), pruning.
 */
package org.zrepl.app.replication;
