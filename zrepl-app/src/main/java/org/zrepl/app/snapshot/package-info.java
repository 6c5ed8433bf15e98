/**
 * Taking snapshots: when ({@link org.zrepl.app.snapshot.SnapshotSchedule}: periodic, cron, manual),
 * how ({@link org.zrepl.app.snapshot.Snapshotter}: one atomic {@code zfs snapshot} where ZFS can,
 * else one per filesystem) and the operator's hooks around it ({@link
 * org.zrepl.app.snapshot.SnapshotHooks}). Time comes from an injected {@link java.time.Clock};
 * nothing here sleeps, starts processes (hooks go through the {@link
 * org.zrepl.port.process.CommandRunner} port) or schedules itself (the jobs do).
 */
package org.zrepl.app.snapshot;
