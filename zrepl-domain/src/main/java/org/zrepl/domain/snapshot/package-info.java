/**
 * Snapshot naming (prefix plus a timestamp in one of zrepl's formats), the periodic schedule and
 * zrepl's duration grammar. {@link org.zrepl.domain.snapshot.SnapshotPrefix} is the one place that
 * says which snapshots carry a job's {@code snapshotting.prefix}; naming and scheduling ask it.
 * Pure: the current time is always an argument, never read from a clock.
 */
package org.zrepl.domain.snapshot;
