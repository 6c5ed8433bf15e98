package org.zrepl.app.daemon;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A job's status as {@code zrepl status} shows it and the control socket sends it (JSON through
 * Jackson, so times are ISO-8601 strings, empty when unknown).
 *
 * @param state {@code idle}, {@code running}, {@code stopped} or {@code failed} (could not start)
 * @param lastRunAt when the last run (round) started
 * @param nextRunAt when the next run is due
 * @param errors problems of the last run, one line each
 * @param nextSnapshotAt when the next snapshot round is due; empty for jobs that take no snapshots
 *     (pull, sink, manual snapshotting)
 * @param nextReplicationAt when the next replication starts on its own: push and local replicate
 *     after each snapshot round, pull on its interval; empty when only {@code signal wakeup} starts
 *     one (manual) and for jobs that do not replicate
 * @param snapshotting the snapshotter's state and its last round; null for jobs that take no
 *     snapshots
 * @param pruning per side the prune run in progress, else the last one ({@code sender} and {@code
 *     receiver} for replicating jobs, {@code local} for snap and source); empty before the first
 * @param pullers for a {@code source} job: per client identity and filesystem, the newest snapshot
 *     that puller reported replicated since the daemon started (its lag); empty for other jobs
 * @param attempts for replicating jobs: the last replication runs (zrepl's attempts), oldest first;
 *     empty for other jobs and before the first run
 */
public record JobStatus(
    String name,
    String type,
    String state,
    String lastRunAt,
    String nextRunAt,
    List<String> errors,
    List<DatasetStatus> datasets,
    String nextSnapshotAt,
    String nextReplicationAt,
    Snapshotting snapshotting,
    List<Pruning> pruning,
    List<Puller> pullers,
    List<Attempt> attempts) {

  public JobStatus {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(state, "state");
    lastRunAt = lastRunAt == null ? "" : lastRunAt;
    nextRunAt = nextRunAt == null ? "" : nextRunAt;
    errors = errors == null ? List.of() : List.copyOf(errors);
    datasets = datasets == null ? List.of() : List.copyOf(datasets);
    nextSnapshotAt = nextSnapshotAt == null ? "" : nextSnapshotAt;
    nextReplicationAt = nextReplicationAt == null ? "" : nextReplicationAt;
    pruning = pruning == null ? List.of() : List.copyOf(pruning);
    pullers = pullers == null ? List.of() : List.copyOf(pullers);
    attempts = attempts == null ? List.of() : List.copyOf(attempts);
  }

  /** Without the attempt history (every job but a replicating one). */
  public JobStatus(
      String name,
      String type,
      String state,
      String lastRunAt,
      String nextRunAt,
      List<String> errors,
      List<DatasetStatus> datasets,
      String nextSnapshotAt,
      String nextReplicationAt,
      Snapshotting snapshotting,
      List<Pruning> pruning,
      List<Puller> pullers) {
    this(
        name,
        type,
        state,
        lastRunAt,
        nextRunAt,
        errors,
        datasets,
        nextSnapshotAt,
        nextReplicationAt,
        snapshotting,
        pruning,
        pullers,
        List.of());
  }

  /** Without pullers (every job but a source). */
  public JobStatus(
      String name,
      String type,
      String state,
      String lastRunAt,
      String nextRunAt,
      List<String> errors,
      List<DatasetStatus> datasets,
      String nextSnapshotAt,
      String nextReplicationAt,
      Snapshotting snapshotting,
      List<Pruning> pruning) {
    this(
        name,
        type,
        state,
        lastRunAt,
        nextRunAt,
        errors,
        datasets,
        nextSnapshotAt,
        nextReplicationAt,
        snapshotting,
        pruning,
        List.of());
  }

  /** Without the snapshotting and pruning views (failed jobs, older callers). */
  public JobStatus(
      String name,
      String type,
      String state,
      String lastRunAt,
      String nextRunAt,
      List<String> errors,
      List<DatasetStatus> datasets) {
    this(
        name, type, state, lastRunAt, nextRunAt, errors, datasets, "", "", null, List.of(),
        List.of());
  }

  /** This status with the schedule, snapshotting and pruning views of {@code from}. */
  public JobStatus withViewsOf(JobStatus from) {
    return withViews(from.nextSnapshotAt, from.nextReplicationAt, from.snapshotting, from.pruning);
  }

  /** This status with the given schedule, snapshotting and pruning views. */
  public JobStatus withViews(
      String nextSnapshot, String nextReplication, Snapshotting snaps, List<Pruning> prunes) {
    return new JobStatus(
        name,
        type,
        state,
        lastRunAt,
        nextRunAt,
        errors,
        datasets,
        nextSnapshot,
        nextReplication,
        snaps,
        prunes,
        pullers,
        attempts);
  }

  /** This status with {@code newPullers} (a source job's per-client lag). */
  public JobStatus withPullers(List<Puller> newPullers) {
    return new JobStatus(
        name,
        type,
        state,
        lastRunAt,
        nextRunAt,
        errors,
        datasets,
        nextSnapshotAt,
        nextReplicationAt,
        snapshotting,
        pruning,
        newPullers,
        attempts);
  }

  /** This status with {@code newAttempts} (a replicating job's attempt history). */
  public JobStatus withAttempts(List<Attempt> newAttempts) {
    return new JobStatus(
        name,
        type,
        state,
        lastRunAt,
        nextRunAt,
        errors,
        datasets,
        nextSnapshotAt,
        nextReplicationAt,
        snapshotting,
        pruning,
        pullers,
        newAttempts);
  }

  /**
   * One replication run of the job (zrepl's attempt).
   *
   * @param number counted from 1 since the job started
   * @param startedAt when it started
   * @param finishedAt when it ended; empty while it runs
   * @param state zrepl's words: {@code planning}, {@code fan-out-filesystems} (steps running),
   *     {@code planning-error}, {@code filesystem-error}, {@code done}
   * @param error why it failed, one line; empty otherwise
   * @param filesystems how many filesystems it planned
   * @param failed how many of them conflicted or failed
   */
  public record Attempt(
      int number,
      String startedAt,
      String finishedAt,
      String state,
      String error,
      int filesystems,
      int failed) {
    public Attempt {
      startedAt = startedAt == null ? "" : startedAt;
      finishedAt = finishedAt == null ? "" : finishedAt;
      Objects.requireNonNull(state, "state");
      error = error == null ? "" : error;
    }
  }

  /**
   * What one puller (client identity) of a source job has of one filesystem.
   *
   * @param client the client identity (the tls CN, the name a tcp serve's client table gives the
   *     address, the stdinserver identity)
   * @param snapshot the newest snapshot it reported replicated (without the filesystem)
   * @param createdAt that snapshot's creation time: its age is the puller's lag
   */
  public record Puller(String client, String filesystem, String snapshot, String createdAt) {
    public Puller {
      Objects.requireNonNull(client, "client");
      Objects.requireNonNull(filesystem, "filesystem");
      snapshot = snapshot == null ? "" : snapshot;
      createdAt = createdAt == null ? "" : createdAt;
    }
  }

  /**
   * The snapshotter's state and its last round.
   *
   * @param at when the last round ran; empty before the first
   * @param filesystems per filesystem (sorted): the outcome
   * @param millis how long the round took, hooks included (one {@code zfs snapshot} takes every
   *     filesystem's snapshot at once, so this is each filesystem's duration too)
   * @param state the snapshotter's state in zrepl's words: {@code SyncUp}, {@code SyncUpErrWait},
   *     {@code Planning}, {@code Snapshotting}, {@code Waiting}, {@code ErrorWait}, {@code Stopped}
   *     (periodic); {@code waiting}, {@code running}, {@code stopped} (cron); empty for manual
   * @param sleepUntil when it wakes up for the next round (SyncUp, the waits); empty otherwise
   * @param error why the last round or the sync-up failed (ErrorWait, SyncUpErrWait); empty if not
   */
  public record Snapshotting(
      String at,
      List<SnapshotResult> filesystems,
      long millis,
      String state,
      String sleepUntil,
      String error) {
    public Snapshotting {
      at = at == null ? "" : at;
      filesystems = filesystems == null ? List.of() : List.copyOf(filesystems);
      if (millis < 0) {
        throw new IllegalArgumentException("millis must not be negative, got " + millis);
      }
      state = state == null ? "" : state;
      sleepUntil = sleepUntil == null ? "" : sleepUntil;
      error = error == null ? "" : error;
    }

    /** The last round, the snapshotter's state unknown. */
    public Snapshotting(String at, List<SnapshotResult> filesystems, long millis) {
      this(at, filesystems, millis, "", "", "");
    }

    /** A round of unknown duration. */
    public Snapshotting(String at, List<SnapshotResult> filesystems) {
      this(at, filesystems, 0);
    }
  }

  /**
   * One filesystem's snapshot in a round.
   *
   * @param outcome {@code taken}, {@code skipped} (a pre-snapshot hook said so) or {@code failed}
   * @param snapshot the snapshot's name (without the filesystem)
   * @param detail why it was skipped or failed; empty when taken
   * @param hooks the hooks that ran for it and their results, e.g. {@code pre_snapshot hook /bin/x:
   *     exit status 0}, joined by {@code "; "}; empty when none ran
   */
  public record SnapshotResult(
      String filesystem, String outcome, String snapshot, String detail, String hooks) {
    public SnapshotResult {
      Objects.requireNonNull(filesystem, "filesystem");
      outcome = outcome == null ? "" : outcome;
      snapshot = snapshot == null ? "" : snapshot;
      detail = detail == null ? "" : detail;
      hooks = hooks == null ? "" : hooks;
    }

    /** Without hooks. */
    public SnapshotResult(String filesystem, String outcome, String snapshot, String detail) {
      this(filesystem, outcome, snapshot, detail, "");
    }
  }

  /**
   * One side's prune run in progress, or else its last one.
   *
   * @param side {@code sender}, {@code receiver} or {@code local}
   * @param filesystems per filesystem (sorted): what was destroyed of how many, pending or
   *     completed
   * @param state zrepl's pruner states: {@code Plan} (listing and planning), {@code PlanErr} (the
   *     listing failed), {@code Exec} (destroying), {@code ExecErr} (ZFS refused some destroy),
   *     {@code Done}; empty from a daemon before schema 2
   * @param error why planning failed ({@code PlanErr}); empty otherwise
   */
  public record Pruning(String side, List<PruneResult> filesystems, String state, String error) {
    public Pruning {
      Objects.requireNonNull(side, "side");
      filesystems = filesystems == null ? List.of() : List.copyOf(filesystems);
      state = state == null ? "" : state;
      error = error == null ? "" : error;
    }

    /** A finished run ({@code Done}). */
    public Pruning(String side, List<PruneResult> filesystems) {
      this(side, filesystems, "Done", "");
    }
  }

  /**
   * One filesystem of a prune run.
   *
   * @param destroyed snapshots destroyed (0 while pending)
   * @param total snapshots before pruning (destroyed + kept + failed)
   * @param failed snapshots ZFS refused to destroy
   * @param error the first refusal, empty if none
   * @param toDestroy how many of its snapshots the plan destroys
   * @param completed whether its destroy has run; false while it is pending
   */
  public record PruneResult(
      String filesystem,
      int destroyed,
      int total,
      int failed,
      String error,
      int toDestroy,
      boolean completed) {
    public PruneResult {
      Objects.requireNonNull(filesystem, "filesystem");
      error = error == null ? "" : error;
    }

    /** A completed filesystem: the plan destroyed what was destroyed or refused. */
    public PruneResult(String filesystem, int destroyed, int total, int failed, String error) {
      this(filesystem, destroyed, total, failed, error, destroyed + failed, true);
    }
  }

  static String time(Optional<Instant> t) {
    return t.map(i -> i.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString()).orElse("");
  }

  /**
   * One filesystem of a job.
   *
   * @param state what it is doing: {@code snapshotted}, {@code stepping}, {@code done}, {@code
   *     failed}, ...
   * @param detail one line for people: the snapshot taken, the plan, what pruning did
   * @param bytes bytes of the current step so far
   * @param expectedBytes the sender's estimate for the current step; -1 when unknown
   * @param lastError the last error, empty if none
   * @param newestReplicatedAt creation time of the newest snapshot replicated to the receiver (the
   *     age gauge); empty for jobs that do not replicate
   * @param planError why planning this filesystem failed (a conflict), so no step ran; empty when
   *     it was planned. {@code lastError} carries it too (as before this field)
   * @param encrypted the current or last step's stream: {@code yes} (an encrypted raw send), {@code
   *     no} (plaintext), empty when not known
   */
  public record DatasetStatus(
      String filesystem,
      String state,
      String detail,
      long bytes,
      long expectedBytes,
      String lastError,
      String newestReplicatedAt,
      String planError,
      String encrypted) {
    public DatasetStatus {
      Objects.requireNonNull(filesystem, "filesystem");
      state = state == null ? "" : state;
      detail = detail == null ? "" : detail;
      if (bytes < 0) {
        throw new IllegalArgumentException("bytes must not be negative, got " + bytes);
      }
      lastError = lastError == null ? "" : lastError;
      newestReplicatedAt = newestReplicatedAt == null ? "" : newestReplicatedAt;
      planError = planError == null ? "" : planError;
      encrypted = encrypted == null ? "" : encrypted;
    }

    /** Without a plan error and with the encryption unknown (jobs that do not replicate). */
    public DatasetStatus(
        String filesystem,
        String state,
        String detail,
        long bytes,
        long expectedBytes,
        String lastError,
        String newestReplicatedAt) {
      this(filesystem, state, detail, bytes, expectedBytes, lastError, newestReplicatedAt, "", "");
    }
  }
}
