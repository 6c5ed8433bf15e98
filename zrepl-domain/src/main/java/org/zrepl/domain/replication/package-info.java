/**
 * Replication planning, pure: given the sender's and the receiver's snapshots and bookmarks of one
 * filesystem, decide what to send ({@link org.zrepl.domain.replication.ReplicationPlanner}) and how
 * to batch it ({@link org.zrepl.domain.replication.StepBatching}). This is zrepl's {@code diff}
 * package. Outcomes are a sealed {@link org.zrepl.domain.replication.ReplicationPlan}; the {@link
 * org.zrepl.domain.replication.Conflict} kinds carry the data for their message.
 *
 * <p>Belongs here: matching versions by guid, ordering by createtxg, the initial-replication and
 * conflict-resolution policies. Does not belong here: listing versions, sending, holds, cursors,
 * wire DTOs or {@code SendRequest}s (the endpoint turns a {@link org.zrepl.domain.replication.Step}
 * into one).
 */
package org.zrepl.domain.replication;
