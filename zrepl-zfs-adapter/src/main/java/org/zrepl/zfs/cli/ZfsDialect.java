package org.zrepl.zfs.cli;

import java.util.Objects;
import org.zrepl.port.zfs.ZfsCapabilities;

/**
 * What the probe found: the port's {@link ZfsCapabilities} plus details only the command-line
 * adapter cares about.
 *
 * @param capabilities what callers may ask for
 * @param getTypeFilter {@code zfs get -t type}: OpenZFS has it, zfs-fuse does not, so there the
 *     listings fetch every type and drop what they do not need
 * @param transientlyBusyDestroy zfs-fuse mounts and unmounts through its FUSE daemon
 *     asynchronously: {@code zfs destroy} of a filesystem created or touched a moment ago fails
 *     with "dataset is busy" and succeeds when simply run again (measured: 32 of 40 destroys right
 *     after {@code zfs create} failed; each succeeded within 4 immediate re-runs)
 */
record ZfsDialect(
    ZfsCapabilities capabilities, boolean getTypeFilter, boolean transientlyBusyDestroy) {

  ZfsDialect {
    Objects.requireNonNull(capabilities, "capabilities");
  }
}
