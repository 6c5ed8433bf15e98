/**
 * Jobs that run on their own: {@link org.zrepl.app.job.SnapJob} (snapshot and prune) and {@link
 * org.zrepl.app.job.ReplicationJob} (snapshot, replicate between local pools through the endpoint
 * ports and the replication engine, prune both sides). Each organizes its rounds through the {@link
 * org.zrepl.app.job.Scheduler} seam, runs one invocation now with {@code runOnce()} ({@code zrepl
 * run --once}) and exposes an immutable state record. {@link org.zrepl.app.job.ReplicationBinding}
 * binds a replicating job's configuration (local, push, pull) to the engine's policy and the
 * endpoints' send and receive options. Jobs wire use cases together; decisions belong in the
 * domain, ZFS access behind the port. No sleeping and no {@code Instant.now()}: time is an injected
 * clock.
 */
package org.zrepl.app.job;
