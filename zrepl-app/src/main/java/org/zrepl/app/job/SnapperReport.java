package org.zrepl.app.job;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What a job's snapshotter reports (zrepl's snapper report).
 *
 * @param state zrepl's words: {@code SyncUp}, {@code SyncUpErrWait}, {@code Planning}, {@code
 *     Snapshotting}, {@code Waiting}, {@code ErrorWait}, {@code Stopped} for a periodic schedule;
 *     {@code waiting}, {@code running}, {@code stopped} for cron
 * @param sleepUntil when it wakes up for the next round; empty when stopped or nothing scheduled
 * @param error why the last round or the sync-up failed; empty if it did not
 */
public record SnapperReport(String state, Optional<Instant> sleepUntil, String error) {
  public SnapperReport {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(sleepUntil, "sleepUntil");
    Objects.requireNonNull(error, "error");
  }
}
