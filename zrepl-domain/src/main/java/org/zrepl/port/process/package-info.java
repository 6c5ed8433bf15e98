/**
 * The port for running an operator's executable (snapshot hooks): {@link
 * org.zrepl.port.process.CommandRunner} with its request and sealed outcome. Only the ZFS adapter
 * module implements it, since only {@code org.zrepl.zfs..} may start processes. No process handling
 * here, only the contract.
 */
package org.zrepl.port.process;
