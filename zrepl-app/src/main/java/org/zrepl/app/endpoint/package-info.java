/**
 * The local endpoints: {@link org.zrepl.app.endpoint.LocalSender} and {@link
 * org.zrepl.app.endpoint.LocalReceiver} implement the endpoint ports over the {@code Zfs} port.
 * This is where zrepl's on-disk abstractions live: the replication cursor bookmark, step holds, the
 * last-received hold and placeholder filesystems, each used only where the ZFS's capabilities allow
 * it ({@link org.zrepl.port.endpoint.Guarantee}). {@link org.zrepl.app.endpoint.SessionCursors}
 * remembers what a serving source sent this session, for its own pruning; {@link
 * org.zrepl.app.endpoint.TargetCursors} records each target's cursor where ZFS has no bookmarks.
 *
 * <p>Belongs here: translating steps into {@code zfs send}/{@code recv}, holds and bookmarks, and
 * ZFS failures into {@link org.zrepl.port.endpoint.EndpointException}s. Does not belong here:
 * planning, scheduling, retries (see {@code org.zrepl.app.replication}), config parsing, RPC.
 */
package org.zrepl.app.endpoint;
