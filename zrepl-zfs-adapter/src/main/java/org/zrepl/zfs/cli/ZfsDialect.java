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
 */
record ZfsDialect(ZfsCapabilities capabilities, boolean getTypeFilter) {

  ZfsDialect {
    Objects.requireNonNull(capabilities, "capabilities");
  }
}
