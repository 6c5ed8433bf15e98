package org.zrepl.port.zfs;

import java.util.List;

/**
 * A receive was refused because the target changed since its most recent snapshot (or has snapshots
 * newer than the stream's base). ZFS accepts it only with {@code -F}, which destroys those changes;
 * zrepl never forces by default.
 */
public class DestinationModifiedException extends ZfsException {

  public DestinationModifiedException(List<String> argv, int exitCode, String stderr) {
    super(argv, exitCode, stderr);
  }
}
