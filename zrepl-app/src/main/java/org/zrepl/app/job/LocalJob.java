package org.zrepl.app.job;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zrepl.app.config.Job;
import org.zrepl.app.endpoint.EndpointNames;
import org.zrepl.app.endpoint.LocalReceiver;
import org.zrepl.app.endpoint.LocalSender;
import org.zrepl.app.endpoint.ReceiverMapping;
import org.zrepl.app.prune.PruneReport;
import org.zrepl.app.prune.PruneRun;
import org.zrepl.app.prune.PruneSide;
import org.zrepl.app.prune.PruneTargets;
import org.zrepl.app.replication.Cancellation;
import org.zrepl.app.replication.FilesystemResult;
import org.zrepl.app.replication.ListingCache;
import org.zrepl.app.replication.ProgressEvent;
import org.zrepl.app.replication.ReplicationEngine;
import org.zrepl.app.replication.ReplicationPolicy;
import org.zrepl.app.replication.ReplicationReport;
import org.zrepl.app.replication.Sleeper;
import org.zrepl.app.replication.StatusBoard;
import org.zrepl.app.snapshot.SnapshotHooks;
import org.zrepl.app.snapshot.SnapshotOutcome;
import org.zrepl.app.snapshot.SnapshotRound;
import org.zrepl.app.snapshot.SnapshotSchedule;
import org.zrepl.app.snapshot.SnapshotSetup;
import org.zrepl.app.snapshot.Snapshotter;
import org.zrepl.domain.dataset.DatasetFilter;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.endpoint.EndpointException;
import org.zrepl.port.endpoint.Receiver;
import org.zrepl.port.endpoint.Sender;
import org.zrepl.port.process.CommandRunner;
import org.zrepl.port.zfs.DatasetInfo;
import org.zrepl.port.zfs.Zfs;
import org.zrepl.port.zfs.ZfsCapabilities;
import org.zrepl.port.zfs.ZfsException;

/**
 * zrepl's {@code local} job: snapshots the filesystems its {@code mapping} selects on its schedule,
 * and after each snapshot round replicates them in-process ({@link LocalSender} to {@link
 * LocalReceiver} through the {@link ReplicationEngine}), then prunes the sending side ({@code
 * keep_sender}) and the receiving side ({@code keep_receiver}), the incremental base and the
 * replication cursor protected.
 *
 * <p>{@link #start()} runs the snapshot loop through the {@link Scheduler}; each round notifies the
 * job (on the snapshotter's notification executor) and the job schedules an invocation (replicate,
 * prune both sides) without blocking the snapshotter. {@link #wakeup()} asks for one, as {@code
 * zrepl signal wakeup} does. {@link #runOnce()} is one invocation now in the caller's thread, with
 * a snapshot first if the schedule says one is due ({@code zrepl run --once}). Invocations never
 * overlap.
 */
public final class LocalJob {

  private static final Logger LOG = LoggerFactory.getLogger(LocalJob.class);

  private final String name;
  private final Zfs zfs;
  private final DatasetFilter selects;
  private final SnapshotSchedule schedule;
  private final Optional<Snapshotter> snapshotter;
  private final Sender sender;
  private final Receiver receiver;
  private final ReplicationPolicy policy;
  private final ReplicationEngine engine;
  private final Optional<Supplier<PruneRun>> senderPrune;
  private final Optional<Supplier<PruneRun>> receiverPrune;
  private final Clock clock;
  private final Scheduler scheduler;
  private final StatusBoard board = new StatusBoard();

  private final Object snapLock = new Object();
  private final Object invocationLock = new Object();
  private final Object stateLock = new Object();
  private final AtomicBoolean invocationRequested = new AtomicBoolean();
  private volatile LocalJobState state;
  private Scheduler.Scheduled pending;
  private long generation;
  private volatile Cancellation current;
  private volatile Consumer<Invocation> invocationListener;

  /**
   * The parts of a local job; {@link #of} builds them from the configuration ({@link ActiveJobs}
   * for push and pull, which prune both sides through the endpoint ports).
   */
  record Parts(
      String name,
      Zfs zfs,
      DatasetFilter selects,
      SnapshotSchedule schedule,
      Sender sender,
      Receiver receiver,
      ReplicationPolicy policy,
      Optional<Supplier<PruneRun>> senderPrune,
      Optional<Supplier<PruneRun>> receiverPrune) {}

  private LocalJob(
      Parts parts,
      SnapshotSetup setup,
      SnapshotHooks hooks,
      Clock clock,
      Scheduler scheduler,
      Sleeper sleeper,
      Executor notifier) {
    this.name = Objects.requireNonNull(parts.name(), "name");
    this.zfs = Objects.requireNonNull(parts.zfs(), "zfs");
    this.selects = Objects.requireNonNull(parts.selects(), "selects");
    this.schedule = Objects.requireNonNull(parts.schedule(), "schedule");
    this.sender = Objects.requireNonNull(parts.sender(), "sender");
    this.receiver = Objects.requireNonNull(parts.receiver(), "receiver");
    this.policy = Objects.requireNonNull(parts.policy(), "policy");
    this.senderPrune = Objects.requireNonNull(parts.senderPrune(), "senderPrune");
    this.receiverPrune = Objects.requireNonNull(parts.receiverPrune(), "receiverPrune");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.engine = new ReplicationEngine(clock, sleeper);
    this.snapshotter =
        setup
            .format()
            .map(f -> new Snapshotter(zfs, f, hooks, clock, sleeper, round -> wakeup(), notifier));
    this.state = LocalJobState.initial(name);
  }

  /**
   * The job as configured. {@code hooks} runs the snapshot hooks; {@code sleeper} waits between
   * attempts and for the bandwidth limit; the snapshotter tells the job of each round through
   * {@code notifier}. Throws IllegalArgumentException if the ZFS cannot apply the job's {@code
   * recv} property options.
   */
  public static LocalJob of(
      Job.Local config,
      Zfs zfs,
      CommandRunner hooks,
      Clock clock,
      Scheduler scheduler,
      Sleeper sleeper,
      Executor notifier) {
    return of(config, zfs, hooks, clock, scheduler, sleeper, notifier, UnaryOperator.identity());
  }

  /** As {@link #of}, with the sender wrapped by {@code senderDecorator} (a fault, in tests). */
  static LocalJob of(
      Job.Local config,
      Zfs zfs,
      CommandRunner hooks,
      Clock clock,
      Scheduler scheduler,
      Sleeper sleeper,
      Executor notifier,
      UnaryOperator<Sender> senderDecorator) {
    return of(
        config,
        new ListingCache(
            zfs, LocalJob::listedProperties, config.mapping().mapping().reach().orElse(Set.of())),
        hooks,
        clock,
        scheduler,
        sleeper,
        notifier,
        senderDecorator);
  }

  /** What the receiver's listing asks for, fetched by the first listing of an invocation. */
  private static Set<String> listedProperties(ZfsCapabilities caps) {
    return caps.resumableReceive()
        ? Set.of(EndpointNames.PLACEHOLDER_PROPERTY, "receive_resume_token")
        : Set.of(EndpointNames.PLACEHOLDER_PROPERTY);
  }

  /** One invocation lists through {@code zfs}'s cache once (a session per invocation). */
  private static LocalJob of(
      Job.Local config,
      ListingCache zfs,
      CommandRunner hooks,
      Clock clock,
      Scheduler scheduler,
      Sleeper sleeper,
      Executor notifier,
      UnaryOperator<Sender> senderDecorator) {
    SnapshotSetup setup = SnapshotSetup.of(config.snapshotting(), clock.getZone());
    DatasetFilter filter = config.mapping().mapping().asFilter();
    Sender sender =
        ReplicationBinding.sender(
            zfs,
            filter,
            config.name(),
            config.send(),
            ReplicationBinding.protection(config.replication()));
    Receiver receiver =
        ReplicationBinding.receiver(
                zfs,
                ReceiverMapping.of(config.mapping().mapping()),
                config.name(),
                config.recv(),
                Optional.empty())
            .protectedBy(ReplicationBinding.protection(config.replication()));
    Parts parts =
        new Parts(
            config.name(),
            zfs,
            filter,
            setup.schedule(),
            senderDecorator.apply(sender),
            receiver,
            ReplicationBinding.policy(config),
            Optional.of(() -> PruneRun.of(PruneTargets.of(config, PruneSide.SENDER, zfs), zfs)),
            Optional.of(() -> PruneRun.of(PruneTargets.of(config, PruneSide.RECEIVER, zfs), zfs)));
    return assemble(parts, setup, hooks, clock, scheduler, sleeper, notifier);
  }

  static LocalJob assemble(
      Parts parts,
      SnapshotSetup setup,
      CommandRunner hooks,
      Clock clock,
      Scheduler scheduler,
      Sleeper sleeper,
      Executor notifier) {
    return new LocalJob(
        parts, setup, new SnapshotHooks(setup.hooks(), hooks), clock, scheduler, sleeper, notifier);
  }

  public String name() {
    return name;
  }

  /** The state now, with the engine's live progress per filesystem. */
  public LocalJobState state() {
    return state.withProgress(board.snapshot());
  }

  /** The policy the engine runs with, bound from the configuration. */
  public ReplicationPolicy policy() {
    return policy;
  }

  /** Starts the snapshot loop: computes the first round from the existing snapshots. */
  public void start() {
    synchronized (snapLock) {
      if (state.running()) {
        throw new IllegalStateException("job '" + name + "' is already running");
      }
      List<String> errors = new ArrayList<>();
      SnapshotSchedule.FirstRound first =
          SnapshotDue.firstRound(schedule, zfs, this::selected, clock.instant(), errors);
      errors.forEach(e -> LOG.error("job {}: {}", name, e));
      Optional<Instant> at = first.at();
      update(s -> s.withLoop(true, at));
      scheduleSnapshot(at);
    }
  }

  /** Stops the loop; a snapshot round or invocation in progress finishes. */
  public void stop() {
    synchronized (snapLock) {
      generation++;
      if (pending != null) {
        pending.cancel();
        pending = null;
      }
      update(s -> s.withLoop(false, Optional.empty()));
    }
  }

  /**
   * Asks for an invocation (replicate, prune both sides) as soon as possible, without waiting for
   * it; requests while one is pending are merged. Ignored while the loop is stopped.
   */
  public void wakeup() {
    if (!state.running() || !invocationRequested.compareAndSet(false, true)) {
      return;
    }
    scheduler.schedule(
        clock.instant(),
        () -> {
          invocationRequested.set(false);
          if (state.running()) {
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
    Cancellation c = current;
    return c != null && c.cancel(why);
  }

  /** Tells {@code listener} of every invocation's outcome, on the invoking thread. */
  public void onInvocation(Consumer<Invocation> listener) {
    invocationListener = Objects.requireNonNull(listener, "listener");
  }

  /** Whether the job takes snapshots itself (its snapshotting is not {@code manual}). */
  public boolean snapshots() {
    return snapshotter.isPresent();
  }

  /** One invocation now: a snapshot if one is due, replicate, prune both sides. */
  public LocalJobState runOnce() {
    return runOnce(false);
  }

  /**
   * One invocation now; with {@code forceSnapshot} a snapshot round runs even if none is due
   * (throws IllegalStateException for manual snapshotting, which names no snapshots).
   */
  public LocalJobState runOnce(boolean forceSnapshot) {
    if (forceSnapshot && snapshotter.isEmpty()) {
      throw new IllegalStateException(
          "job '" + name + "' has manual snapshotting: it takes no snapshots itself");
    }
    invoke(true, forceSnapshot);
    return state();
  }

  private void scheduleSnapshot(Optional<Instant> at) {
    if (at.isEmpty()) {
      pending = null;
      return;
    }
    long gen = generation;
    Instant due = at.get();
    pending = scheduler.schedule(due, () -> tick(gen, due));
  }

  private void tick(long gen, Instant due) {
    synchronized (snapLock) {
      if (gen != generation || !state.running()) {
        return;
      }
      List<String> errors = new ArrayList<>();
      Optional<SnapshotRound> round = snapshot(errors);
      update(s -> s.withSnapshots(round.or(s::lastSnapshots), errors));
      Optional<Instant> next = schedule.after(due, clock.instant());
      update(s -> s.withLoop(true, next));
      scheduleSnapshot(next);
    }
  }

  private void invoke(boolean snapshotIfDue, boolean forceSnapshot) {
    synchronized (invocationLock) {
      Cancellation cancel = new Cancellation();
      current = cancel;
      try (ListingCache.Session listing = openListingSession()) {
        invoke(snapshotIfDue, forceSnapshot, cancel);
      } catch (RuntimeException | Error e) {
        // Whatever escaped the engine (an interrupted thread, a bug): the job is not replicating
        // any more, and the status says why instead of showing "running" forever.
        update(s -> s.withReplicating(false));
        LOG.error("job {}: invocation failed", name, e); // err= and the stack trace
        throw e;
      } finally {
        current = null;
      }
    }
  }

  /** Listings are remembered for one invocation where the job lists through a cache. */
  private ListingCache.Session openListingSession() {
    return (zfs instanceof ListingCache c ? c : new ListingCache(zfs)).open();
  }

  private void invoke(boolean snapshotIfDue, boolean forceSnapshot, Cancellation cancel) {
    Instant at = clock.instant();
    update(s -> s.withReplicating(true));
    List<String> errors = new ArrayList<>();
    Optional<SnapshotRound> round = Optional.empty();
    if (snapshotIfDue && snapshotter.isPresent()) {
      synchronized (snapLock) {
        if (forceSnapshot || snapshotDue(at, errors)) {
          round = snapshot(errors);
        }
      }
    }
    Map<DatasetPath, Instant> started = new HashMap<>();
    Map<DatasetPath, Duration> times = new HashMap<>();
    ReplicationReport report =
        engine.run(sender, receiver, policy, e -> heard(e, started, times), cancel);
    report.runError().ifPresent(e -> errors.add("replication: " + e));
    report.needingAttention().stream().map(FilesystemResult::describe).forEach(errors::add);
    Instant replicated = clock.instant();
    Optional<PruneReport> sent = prune("sender", senderPrune, errors);
    Instant senderPruned = clock.instant();
    Optional<PruneReport> received = prune("receiver", receiverPrune, errors);
    Instant receiverPruned = clock.instant();
    cancel.reason().ifPresent(why -> errors.add("invocation aborted, pruning skipped: " + why));
    errors.forEach(e -> LOG.warn("job {}: {}", name, e));
    Optional<SnapshotRound> taken = round;
    update(
        s ->
            new LocalJobState(
                name,
                s.running(),
                false,
                Optional.of(at),
                taken.or(s::lastSnapshots),
                Optional.of(report),
                times,
                Map.of(),
                sent,
                received,
                s.nextSnapshotDue(),
                errors));
    Consumer<Invocation> l = invocationListener;
    if (l != null) {
      l.accept(
          new Invocation(
              report,
              Duration.between(report.started(), report.finished()),
              sent.map(p -> Duration.between(replicated, senderPruned)),
              received.map(p -> Duration.between(senderPruned, receiverPruned)),
              newestOnReceiver(report)));
    }
  }

  private Map<DatasetPath, Instant> newestOnReceiver(ReplicationReport report) {
    try {
      return Invocation.newestOnReceiver(receiver, report);
    } catch (RuntimeException e) {
      LOG.warn(
          "job {}: cannot list the receiver's snapshots for the metrics: {}",
          name,
          e.toString(),
          e);
      return Map.of();
    }
  }

  private void heard(
      ProgressEvent e, Map<DatasetPath, Instant> started, Map<DatasetPath, Duration> times) {
    board.on(e);
    if (e instanceof ProgressEvent.StepStarted s) {
      synchronized (started) {
        started.putIfAbsent(s.filesystem(), clock.instant());
      }
    } else if (e instanceof ProgressEvent.StepCompleted c) {
      synchronized (started) {
        Instant from = started.getOrDefault(c.filesystem(), clock.instant());
        times.put(c.filesystem(), Duration.between(from, clock.instant()));
      }
    }
  }

  /** Whether a round is due now (see {@link SnapshotDue}); a listing failure is an error. */
  private boolean snapshotDue(Instant now, List<String> errors) {
    try {
      List<DatasetPath> selected = selected();
      Map<DatasetPath, List<FilesystemVersion>> versions =
          selected.isEmpty() ? Map.of() : zfs.listVersions(selected);
      return SnapshotDue.isDue(schedule, snapshotter.orElseThrow().format(), versions, now);
    } catch (ZfsException e) {
      errors.add("cannot list snapshots to see whether one is due: " + e.getMessage());
      return false;
    }
  }

  private Optional<SnapshotRound> snapshot(List<String> errors) {
    try {
      SnapshotRound r = snapshotter.orElseThrow().snapshot(selected());
      r.results()
          .forEach(
              (fs, o) -> {
                if (!(o instanceof SnapshotOutcome.Taken)) {
                  errors.add(fs + ": snapshot " + o.describe());
                }
              });
      return Optional.of(r);
    } catch (ZfsException e) {
      errors.add("cannot list filesystems to snapshot: " + e.getMessage());
      return Optional.empty();
    }
  }

  private Optional<PruneReport> prune(
      String side, Optional<Supplier<PruneRun>> target, List<String> errors) {
    Cancellation c = current;
    if (target.isEmpty() || (c != null && c.isCancelled())) {
      return Optional.empty();
    }
    try {
      PruneReport p = target.get().get().execute();
      p.filesystems().stream()
          .filter(f -> !f.failed().isEmpty())
          .forEach(f -> errors.add("prune " + side + " " + f.describe()));
      return Optional.of(p);
    } catch (ZfsException | EndpointException e) {
      errors.add("cannot list snapshots to prune the " + side + ": " + e.getMessage());
      return Optional.empty();
    }
  }

  /** The filesystems the mapping selects. */
  private List<DatasetPath> selected() {
    return zfs.listDatasets(List.of(), Set.of()).stream()
        .map(DatasetInfo::path)
        .filter(selects::matches)
        .toList();
  }

  private void update(UnaryOperator<LocalJobState> f) {
    synchronized (stateLock) {
      state = f.apply(state);
    }
  }
}
