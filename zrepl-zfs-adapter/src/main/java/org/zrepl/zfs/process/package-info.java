/**
 * Runs operators' executables (snapshot hooks) on this host: {@link
 * org.zrepl.zfs.process.LocalCommandRunner} implements the {@link
 * org.zrepl.port.process.CommandRunner} port. It lives in the adapter module because only {@code
 * org.zrepl.zfs..} may start processes. Nothing ZFS-specific belongs here.
 */
package org.zrepl.zfs.process;
