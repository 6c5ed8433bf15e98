package org.zrepl.app.endpoint;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zrepl.app.abstraction.Abstractions;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.port.zfs.Zfs;
import org.zrepl.port.zfs.ZfsCapabilities;

/**
 * What an endpoint does after a confirmed step, as zrepl's endpoint does: it releases the holds and
 * destroys the bookmarks its own job left on the filesystem that nothing needs any more (step holds
 * and tentative cursors at or before the replication cursor, older cursors and last-received
 * holds), so that a killed step's leftovers do not block pruning ("dataset is busy"). A failure is
 * a warning: it never fails the replication, and {@code zrepl zfs-abstraction release-stale} can
 * still clean up.
 */
final class OwnStaleAbstractions {

  private static final Logger LOG = LoggerFactory.getLogger(OwnStaleAbstractions.class);

  private OwnStaleAbstractions() {}

  static void release(Zfs zfs, ZfsCapabilities caps, DatasetPath fs, String jobId) {
    if (!caps.holds() && !caps.bookmarks()) {
      return; // zfs-fuse: nothing is held or bookmarked; the zrepl:cursors entry is moved in place
    }
    List<Abstractions.Outcome> outcomes;
    try {
      outcomes = new Abstractions(zfs).releaseStaleOf(fs, jobId);
    } catch (RuntimeException e) {
      LOG.warn(
          "cannot release stale holds and bookmarks of job {} on {}: {}",
          jobId,
          fs,
          e.getMessage(),
          e);
      return;
    }
    for (Abstractions.Outcome o : outcomes) {
      if (o.error().isPresent()) {
        LOG.warn("cannot release stale {}: {}", o.abstraction(), o.error().get());
      } else {
        LOG.info("released stale {}", o.abstraction());
      }
    }
  }
}
