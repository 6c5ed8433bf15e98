package org.zrepl.app.job;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.zrepl.app.prune.PruneReport;
import org.zrepl.app.prune.PruneRun;
import org.zrepl.app.replication.Cancellation;
import org.zrepl.port.endpoint.EndpointException;
import org.zrepl.port.zfs.ZfsException;

/**
 * The pruning of one side in an invocation: {@code keep_sender} on the sender, {@code
 * keep_receiver} on the receiver. {@code run} builds the side's prune run anew each time (a local
 * ZFS, or the endpoint ports when one side is remote), so it sees the snapshots replication left.
 *
 * @param side {@code sender} or {@code receiver}, for the error lines
 * @param run the side's rules, protection and snapshots
 */
record PruningRound(String side, Supplier<PruneRun> run) {

  PruningRound {
    Objects.requireNonNull(side, "side");
    Objects.requireNonNull(run, "run");
  }

  /**
   * Prunes the side unless {@code cancel} was cancelled (zrepl skips pruning after a reset). Each
   * snapshot that could not be destroyed, or a listing that failed, is an error line; empty if
   * skipped or the listing failed.
   */
  Optional<PruneReport> prune(Cancellation cancel, List<String> errors) {
    if (cancel.isCancelled()) {
      return Optional.empty();
    }
    try {
      PruneReport p = run.get().execute();
      p.filesystems().stream()
          .filter(f -> !f.failed().isEmpty())
          .forEach(f -> errors.add("prune " + side + " " + f.describe()));
      return Optional.of(p);
    } catch (ZfsException | EndpointException e) {
      errors.add("cannot list snapshots to prune the " + side + ": " + e.getMessage());
      return Optional.empty();
    }
  }
}
