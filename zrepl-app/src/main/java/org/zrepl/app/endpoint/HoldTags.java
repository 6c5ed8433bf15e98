package org.zrepl.app.endpoint;

import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.port.zfs.DatasetExistsException;
import org.zrepl.port.zfs.DatasetNotFoundException;
import org.zrepl.port.zfs.Zfs;
import org.zrepl.port.zfs.ZfsException;

/**
 * Hold helpers shared by both endpoints. Each is one {@code zfs hold} or {@code zfs release}: ZFS
 * itself says when the tag is already there ("tag already exists on this dataset", {@link
 * DatasetExistsException}) or not there ("no such tag on this dataset", {@link
 * DatasetNotFoundException}), so no {@code zfs holds} is asked first (the port's contract: a second
 * hold with the same tag throws, releasing a tag that is not held throws).
 */
final class HoldTags {

  private HoldTags() {}

  /**
   * Releases {@code tag} from {@code fs@snapshot} if it is held there. A snapshot that no longer
   * exists holds nothing.
   */
  static void releaseIfHeld(Zfs zfs, DatasetPath fs, String snapshot, String tag) {
    try {
      zfs.release(fs, snapshot, tag);
    } catch (DatasetNotFoundException e) {
      // not held with this tag, or destroyed meanwhile: nothing left to release
    } catch (ZfsException e) {
      throw ZfsFailures.of("releasing hold " + tag + " on @" + snapshot + " of", fs, e);
    }
  }

  /** Places {@code tag} on {@code fs@snapshot} unless it is already there. */
  static void holdIfNotHeld(Zfs zfs, DatasetPath fs, String snapshot, String tag) {
    try {
      zfs.hold(fs, snapshot, tag);
    } catch (DatasetExistsException e) {
      // already held with this tag: that is what was wanted
    } catch (ZfsException e) {
      throw ZfsFailures.of("holding @" + snapshot + " with " + tag + " of", fs, e);
    }
  }
}
