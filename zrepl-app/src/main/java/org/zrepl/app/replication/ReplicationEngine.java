package org.zrepl.app.replication;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.zrepl.port.endpoint.Guarantee;
import org.zrepl.port.endpoint.Receiver;
import org.zrepl.port.endpoint.Sender;

/**
 * Replicates every filesystem a sender serves to a receiver: lists both sides, plans each
 * filesystem ({@link Planning}), then runs the steps through a {@link StepQueue} with {@code
 * concurrencySteps} workers. See the package documentation for the contract.
 */
public final class ReplicationEngine {

  private final Clock clock;
  private final Sleeper sleeper;

  /**
   * @param clock for the bandwidth limit and the report's times
   * @param sleeper waits between attempts and for the bandwidth limit
   */
  public ReplicationEngine(Clock clock, Sleeper sleeper) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
  }

  /**
   * One replication run. Never throws for a failing filesystem or endpoint: the report says what
   * failed. Throws only for {@link InterruptedException} (as an {@link IllegalStateException} after
   * re-setting the interrupt flag).
   */
  public ReplicationReport run(
      Sender sender, Receiver receiver, ReplicationPolicy policy, ProgressListener listener) {
    return run(sender, receiver, policy, listener, new Cancellation());
  }

  /**
   * One replication run that {@code cancel} can abort (see {@link Cancellation}): filesystems whose
   * replication it stopped or never started fail with its reason.
   */
  public ReplicationReport run(
      Sender sender,
      Receiver receiver,
      ReplicationPolicy policy,
      ProgressListener listener,
      Cancellation cancel) {
    Instant started = clock.instant();
    Set<Guarantee> off;
    Planning.Result planned;
    try {
      // Inside the try: a remote endpoint's guarantees come over the network and may fail.
      off = guaranteesOff(sender, receiver);
      planned = Planning.plan(sender, receiver, policy, listener);
    } catch (RuntimeException e) {
      // Aborted while listing (a reset ending a wait for a peer at its limit, say): the abort is
      // what happened, the failed call only its consequence.
      String error =
          cancel.reason().map(why -> "aborted: " + why).orElseGet(() -> StepRunner.message(e));
      ReplicationReport report =
          new ReplicationReport(List.of(), Set.of(), Optional.of(error), started, clock.instant());
      listener.on(new ProgressEvent.RunFinished(report));
      return report;
    }
    listener.on(new ProgressEvent.RunStarted(planned.filesystems(), off));
    planned.finished().forEach(r -> listener.on(new ProgressEvent.FilesystemFinished(r)));
    List<TokenBucket> bandwidth =
        policy.bandwidthLimits().stream().map(l -> new TokenBucket(l, clock, sleeper)).toList();
    StepRunner runner =
        new StepRunner(
            sender,
            receiver,
            policy,
            !off.contains(Guarantee.RESUMABILITY),
            bandwidth,
            sleeper,
            listener,
            cancel);
    StepQueue queue = new StepQueue(planned.runs(), listener);
    work(queue, runner, policy.concurrencySteps(), cancel);

    List<FilesystemResult> results = new ArrayList<>(planned.finished());
    for (FilesystemRun r : planned.runs()) {
      if (r.finished()) {
        results.add(r.result);
      } else if (cancel.isCancelled()) {
        r.result = StepRunner.notStarted(r, cancel.reason().orElseThrow());
        listener.on(new ProgressEvent.StateChanged(r.filesystem, FilesystemState.FAILED));
        listener.on(new ProgressEvent.FilesystemFinished(r.result));
        results.add(r.result);
      } else {
        results.add(new FilesystemResult.Failed(r.filesystem, "interrupted", true, 0, r.done));
      }
    }
    results.sort(Comparator.comparing(FilesystemResult::filesystem));
    ReplicationReport report =
        new ReplicationReport(results, off, Optional.empty(), started, clock.instant());
    listener.on(new ProgressEvent.RunFinished(report));
    return report;
  }

  static Set<Guarantee> guaranteesOff(Sender sender, Receiver receiver) {
    Set<Guarantee> s = sender.guarantees();
    Set<Guarantee> r = receiver.guarantees();
    Set<Guarantee> off = EnumSet.allOf(Guarantee.class);
    if (s.contains(Guarantee.RESUMABILITY) && r.contains(Guarantee.RESUMABILITY)) {
      off.remove(Guarantee.RESUMABILITY);
    }
    for (Guarantee g : List.of(Guarantee.REPLICATION_CURSOR, Guarantee.SENDER_STEP_HOLDS)) {
      if (s.contains(g)) {
        off.remove(g);
      }
    }
    for (Guarantee g : List.of(Guarantee.RECEIVER_STEP_HOLDS, Guarantee.LAST_RECEIVED_HOLD)) {
      if (r.contains(g)) {
        off.remove(g);
      }
    }
    return off;
  }

  private static void work(StepQueue queue, StepRunner runner, int workers, Cancellation cancel) {
    if (workers == 1) {
      worker(queue, runner, cancel);
      return;
    }
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    try {
      List<Future<?>> running = new ArrayList<>();
      for (int i = 0; i < workers; i++) {
        running.add(pool.submit(() -> worker(queue, runner, cancel)));
      }
      for (Future<?> f : running) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while replicating", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("a replication worker failed: " + e.getCause(), e);
    } finally {
      pool.shutdownNow();
    }
  }

  private static void worker(StepQueue queue, StepRunner runner, Cancellation cancel) {
    try {
      while (!cancel.isCancelled()) {
        Optional<FilesystemRun> next = queue.take();
        if (next.isEmpty()) {
          return;
        }
        try {
          runner.runNextStep(next.get());
        } finally {
          queue.put(next.get());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while replicating", e);
    }
  }
}
