package org.zrepl.app.job;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.zrepl.app.prune.PruneProgress;
import org.zrepl.app.prune.PruneReport;
import org.zrepl.app.prune.PruneRun;
import org.zrepl.app.prune.PruneSide;
import org.zrepl.app.replication.Cancellation;
import org.zrepl.port.endpoint.EndpointException;
import org.zrepl.port.zfs.ZfsException;

/**
 * The pruning of one side in an invocation: {@code keep_sender} on the sender, {@code
 * keep_receiver} on the receiver. {@code run} builds the side's prune run anew each time (a local
 * ZFS, or the endpoint ports when one side is remote), so it sees the snapshots replication left.
 *
 * <p>{@code side} is the sender or receiver (for the error lines and the progress); {@code run} the
 * side's rules, protection and snapshots. {@link #progress()} is the run as it goes, for status.
 */
final class PruningRound {

  private final PruneSide side;
  private final Supplier<PruneRun> run;
  private volatile Optional<PruneProgress> last = Optional.empty();

  PruningRound(PruneSide side, Supplier<PruneRun> run) {
    this.side = Objects.requireNonNull(side, "side");
    this.run = Objects.requireNonNull(run, "run");
  }

  /** The run in progress, or else the last one (a skipped run leaves the one before). */
  Optional<PruneProgress.Report> progress() {
    return last.map(PruneProgress::report);
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
    PruneProgress progress = new PruneProgress(side);
    last = Optional.of(progress);
    try {
      PruneReport p = run.get().execute(progress);
      p.filesystems().stream()
          .filter(f -> !f.failed().isEmpty())
          .forEach(f -> errors.add("prune " + side.word() + " " + f.describe()));
      return Optional.of(p);
    } catch (ZfsException | EndpointException e) {
      progress.failed(e.getMessage());
      errors.add("cannot list snapshots to prune the " + side.word() + ": " + e.getMessage());
      return Optional.empty();
    } catch (RuntimeException e) {
      progress.failed(e.toString());
      throw e;
    }
  }
}
