/**
 * The {@link org.zrepl.port.zfs.Zfs} port on the real {@code zfs} command: {@link
 * org.zrepl.zfs.cli.CliZfs}, the process seam ({@link org.zrepl.zfs.cli.ProcessLauncher} with a
 * local and an ssh implementation), the capability probe, and pure parsers of {@code zfs} output
 * (tested against golden files of real output).
 *
 * <p>This is the only package in zrepl that starts processes. Nothing outside it knows whether ZFS
 * runs locally or over ssh. No replication logic belongs here: the adapter runs one command per
 * port call (or a constant number) and reports what ZFS said.
 */
package org.zrepl.zfs.cli;
