/**
 * Pruning as a use case: {@link org.zrepl.app.prune.Pruner} lists one side's snapshots in one call
 * through a {@link org.zrepl.app.prune.PruneEndpoint} (the local ZFS, or a {@code Sender} or {@code
 * Receiver} port, local or over the RPC), asks the domain's {@link
 * org.zrepl.domain.prune.PrunePlanner} (with the incremental base protected when the peer side is
 * known) and destroys per filesystem in one batch. {@link org.zrepl.app.prune.ReplicationPruning}
 * prunes either side of a push or pull with both sides listed; {@link
 * org.zrepl.app.prune.SourcePruning} a serving source's own side; {@link
 * org.zrepl.app.prune.PruneDryRun} shows the plan without changing anything; {@link
 * org.zrepl.app.prune.PruneProgress} is a run as it goes (zrepl's pruner states), for status. The
 * decisions themselves belong in the domain, not here.
 */
package org.zrepl.app.prune;
