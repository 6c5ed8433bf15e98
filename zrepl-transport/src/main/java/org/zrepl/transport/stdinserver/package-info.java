/**
 * The {@code ssh+stdinserver} transport. The active side runs {@code ssh} ({@link
 * org.zrepl.transport.stdinserver.SshConnector}); on the passive host sshd runs {@code zrepl
 * stdinserver IDENTITY} as the key's forced command ({@link
 * org.zrepl.transport.stdinserver.StdinserverClient}), which passes its stdin and stdout with
 * {@code SCM_RIGHTS} over the unix socket {@code sockdir/IDENTITY} to the daemon ({@link
 * org.zrepl.transport.stdinserver.StdinserverListener}) and exits with the daemon's verdict.
 *
 * <p>This is the one package outside the ZFS adapter that starts a process: for this wire the ssh
 * process's pipes are the socket. Nothing here knows about the RPC above the byte streams.
 */
package org.zrepl.transport.stdinserver;
