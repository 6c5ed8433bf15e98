package org.zrepl.app.job;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zrepl.app.prune.PruneProgress;
import org.zrepl.app.prune.PruneSide;
import org.zrepl.app.replication.Cancellation;
import org.zrepl.app.replication.ListingCache;
import org.zrepl.app.replication.ReplicationEngine;
import org.zrepl.app.replication.ReplicationPolicy;
import org.zrepl.app.replication.Sleeper;
import org.zrepl.app.replication.StatusBoard;
import org.zrepl.app.snapshot.SnapshotHooks;
import org.zrepl.app.snapshot.SnapshotSetup;
import org.zrepl.app.snapshot.Snapshotter;
import org.zrepl.port.process.CommandRunner;
import org.zrepl.port.transport.Rpc;

/**
 * The loop of a replicating job ({@code local}, {@code push}, {@code pull}): schedules its snapshot
 * rounds, turns each round, {@link #wakeup()} and {@link #runOnce()} into an {@link InvocationRun}
 * (snapshot if due, replicate, prune the sender, prune the receiver), cancels one on {@link
 * #reset()}, and keeps the job's {@link ReplicationJobState}.
 *
 * <p>{@link #start()} computes the first snapshot round from the existing snapshots and schedules
 * it through the {@link Scheduler}; each round notifies the job (on the snapshotter's notification
 * executor) and the job schedules an invocation without blocking the snapshotter. {@link
 * #runOnce()} is one invocation now in the caller's thread ({@code zrepl run --once}).
 *
 * <p>Concurrency: one lock, the job's {@link JobTurns}, guards the bookkeeping (the wakeup request,
 * the current invocation's {@link Cancellation}, the {@link SnapshotLoop}'s pending round) and
 * every write of the state; it is never held across ZFS or replication. Snapshot rounds and
 * invocations are turns, so at most one of them runs at a time, whatever thread asks; {@link
 * #stop()}, {@link #wakeup()}, {@link #reset()} and {@link #state()} never wait for one.
 */
public final class ReplicationJob {

  private static final Logger LOG = LoggerFactory.getLogger(ReplicationJob.class);

  private final String name;
  private final ReplicationPolicy policy;
  private final JobSnapshotting snapshotting;
  private final InvocationRun invocation;
  private final PruningRound senderPruning;
  private final PruningRound receiverPruning;
  private final Optional<ListingCache> listing;
  private final Clock clock;
  private final Scheduler scheduler;
  private final StatusBoard board = new StatusBoard();
  private final ReplicationAttempts attempts = new ReplicationAttempts();
  private final JobTurns turns;
  private final SnapshotLoop loop;
  // guarded by turns
  private boolean invocationRequested;
  private Cancellation current;
  private volatile Consumer<Invocation> invocationListener;
  private volatile Optional<Rpc.Peer> peer = Optional.empty();

  private ReplicationJob(
      BoundReplicationJob job,
      SnapshotSetup setup,
      SnapshotHooks hooks,
      Clock clock,
      Scheduler scheduler,
      Sleeper sleeper,
      Executor notifier) {
    this.name = job.name();
    this.policy = job.policy();
    this.clock = Objects.requireNonNull(clock, "clock");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.turns = new JobTurns(ReplicationJobState.initial(name));
    this.listing = job.zfs() instanceof ListingCache c ? Optional.of(c) : Optional.empty();
    Optional<Snapshotter> snapshotter =
        setup
            .format()
            .map(
                f -> new Snapshotter(job.zfs(), f, hooks, clock, sleeper, r -> wakeup(), notifier));
    this.snapshotting =
        new JobSnapshotting(job.name(), job.zfs(), job.selects(), job.schedule(), snapshotter);
    this.senderPruning = new PruningRound(PruneSide.SENDER, job.senderPrune());
    this.receiverPruning = new PruningRound(PruneSide.RECEIVER, job.receiverPrune());
    this.invocation =
        new InvocationRun(
            name,
            snapshotting,
            new ReplicationRound(
                new ReplicationEngine(clock, sleeper),
                job.sender(),
                job.receiver(),
                policy,
                board,
                attempts,
                clock,
                job.afterReplication()),
            senderPruning,
            receiverPruning,
            job.receiver(),
            clock);
    this.loop = new SnapshotLoop(name, snapshotting, turns, clock, scheduler);
  }

  /**
   * The job bound to its ports ({@link LocalJob#of} for a local job, {@link ActiveJobs} for push
   * and pull); {@code hooks} runs the snapshot hooks.
   */
  static ReplicationJob assemble(
      BoundReplicationJob job,
      SnapshotSetup setup,
      CommandRunner hooks,
      Clock clock,
      Scheduler scheduler,
      Sleeper sleeper,
      Executor notifier) {
    return new ReplicationJob(
        job, setup, new SnapshotHooks(setup.hooks(), hooks), clock, scheduler, sleeper, notifier);
  }

  public String name() {
    return name;
  }

  /** The state now, with the engine's live progress per filesystem. */
  public ReplicationJobState state() {
    return turns.state().withProgress(board.snapshot());
  }

  /**
   * The last {@value ReplicationAttempts#KEPT} replication runs (attempts), oldest first; the last
   * one is still running while the job replicates.
   */
  public java.util.List<ReplicationAttempt> attempts() {
    return attempts.list();
  }

  /**
   * Each side's prune run as it goes (the sender's first), or the last one when none runs; a side
   * not pruned since the job started is absent.
   */
  public List<PruneProgress.Report> pruning() {
    List<PruneProgress.Report> out = new ArrayList<>();
    senderPruning.progress().ifPresent(out::add);
    receiverPruning.progress().ifPresent(out::add);
    return out;
  }

  /** The policy the engine runs with, bound from the configuration. */
  public ReplicationPolicy policy() {
    return policy;
  }

  /** Whether the job takes snapshots itself (its snapshotting is not {@code manual}). */
  public boolean snapshots() {
    return snapshotting.takesSnapshots();
  }

  /** The snapshotter's state (zrepl's snapper states); empty for manual snapshotting. */
  public Optional<SnapperReport> snapper() {
    return snapshotting.snapper();
  }

  /** Tells {@code listener} of every invocation's outcome, on the invoking thread. */
  public void onInvocation(Consumer<Invocation> listener) {
    invocationListener = Objects.requireNonNull(listener, "listener");
  }

  /**
   * Ties each run to {@code remote}, the peer of a push or pull job: aborting the run ({@link
   * #reset()}, {@link #abort}) ends its waits for the peer to serve calls it turned away at its
   * connection limit at once ({@link Rpc.Peer#stopWaiting()}), so that the run ends now and not
   * when the peer serves it; each run starts waiting again.
   */
  public void abortsWaitsOn(Rpc.Peer remote) {
    peer = Optional.of(remote);
  }

  /** Starts the snapshot loop: computes the first round from the existing snapshots. */
  public void start() {
    loop.start();
  }

  /** Stops the loop; a snapshot round or invocation in progress finishes. */
  public void stop() {
    loop.stop();
  }

  /**
   * Asks for an invocation (replicate, prune both sides) as soon as possible, without waiting for
   * it; requests while one is pending are merged. Ignored while the loop is stopped.
   */
  public void wakeup() {
    boolean request =
        turns.locked(
            () -> {
              if (!turns.state().running() || invocationRequested) {
                return false;
              }
              invocationRequested = true;
              return true;
            });
    if (!request) {
      return;
    }
    scheduler.schedule(
        clock.instant(),
        () -> {
          turns.locked(() -> invocationRequested = false);
          if (turns.state().running()) {
            invoke(false, false);
          }
        });
  }

  /**
   * {@code zrepl signal reset}: aborts the invocation in progress (see {@link Cancellation}); its
   * pruning is skipped, and the job waits for its next trigger. Returns false if none is running.
   */
  public boolean reset() {
    return abort("reset by the operator (zrepl signal reset)");
  }

  /** As {@link #reset()}, with {@code why} in the filesystems' errors. */
  public boolean abort(String why) {
    Cancellation c = turns.locked(() -> current);
    return c != null && c.cancel(why);
  }

  /** One invocation now: a snapshot if one is due, replicate, prune both sides. */
  public ReplicationJobState runOnce() {
    return runOnce(false);
  }

  /**
   * One invocation now; with {@code forceSnapshot} a snapshot round runs even if none is due
   * (throws IllegalStateException for manual snapshotting, which names no snapshots).
   */
  public ReplicationJobState runOnce(boolean forceSnapshot) {
    if (forceSnapshot && !snapshotting.takesSnapshots()) {
      throw new IllegalStateException(
          "job '" + name + "' has manual snapshotting: it takes no snapshots itself");
    }
    invoke(true, forceSnapshot);
    return state();
  }

  private void invoke(boolean snapshotIfDue, boolean forceSnapshot) {
    Cancellation cancel = new Cancellation();
    turns.begin(
        () -> {
          current = cancel;
          return true;
        },
        s -> s.withReplicating(true));
    // In the turn: an earlier run aborted may have left the peer impatient.
    peer.ifPresent(
        p -> {
          p.waitAgain();
          var unused = cancel.whenCancelled(p::stopWaiting);
        });
    // Where the job lists through a cache (a local job), an invocation lists each thing once.
    try (ListingCache.Session listed = listing.map(ListingCache::open).orElse(null)) {
      InvocationRun.Outcome o = invocation.run(snapshotIfDue, forceSnapshot, cancel);
      turns.update(s -> s.after(o));
      Consumer<Invocation> l = invocationListener;
      if (l != null) {
        l.accept(invocation.metrics(o));
      }
    } catch (RuntimeException | Error e) {
      // Whatever escaped the engine (an interrupted thread, a bug): the job is not replicating
      // any more, and the status says why instead of showing "running" forever.
      turns.update(s -> s.withReplicating(false));
      LOG.error("job {}: invocation failed", name, e); // err= and the stack trace
      throw e;
    } finally {
      turns.end(
          s -> {
            current = null;
            return s;
          });
    }
  }
}
