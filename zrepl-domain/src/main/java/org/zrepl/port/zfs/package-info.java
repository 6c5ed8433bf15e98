/**
 * The {@link org.zrepl.port.zfs.Zfs} port: everything the application asks of ZFS, and its
 * exception family. Implemented by the CLI adapter ({@code CliZfs}) and by the in-memory fake
 * ({@code InMemoryZfs}); both must pass the same contract suite. No implementation lives here.
 */
package org.zrepl.port.zfs;
