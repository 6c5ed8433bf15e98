package org.zrepl.app.endpoint;

import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.port.zfs.DatasetNotFoundException;
import org.zrepl.port.zfs.Zfs;
import org.zrepl.port.zfs.ZfsException;

/** Hold helpers shared by both endpoints. */
final class HoldTags {

  private HoldTags() {}

  /**
   * Releases {@code tag} from {@code fs@snapshot} if it is held there. A snapshot that no longer
   * exists holds nothing.
   */
  static void releaseIfHeld(Zfs zfs, DatasetPath fs, String snapshot, String tag) {
    try {
      if (zfs.holds(fs, snapshot).contains(tag)) {
        zfs.release(fs, snapshot, tag);
      }
    } catch (DatasetNotFoundException e) {
      // destroyed meanwhile: nothing left to release
    } catch (ZfsException e) {
      throw ZfsFailures.of("releasing hold " + tag + " on @" + snapshot + " of", fs, e);
    }
  }

  /** Places {@code tag} on {@code fs@snapshot} unless it is already there. */
  static void holdIfNotHeld(Zfs zfs, DatasetPath fs, String snapshot, String tag) {
    try {
      if (!zfs.holds(fs, snapshot).contains(tag)) {
        zfs.hold(fs, snapshot, tag);
      }
    } catch (ZfsException e) {
      throw ZfsFailures.of("holding @" + snapshot + " with " + tag + " of", fs, e);
    }
  }
}
