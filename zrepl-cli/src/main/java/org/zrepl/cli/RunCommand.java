package org.zrepl.cli;

import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.zrepl.app.config.Config;
import org.zrepl.app.config.Job;
import org.zrepl.app.daemon.ActiveSides;
import org.zrepl.app.daemon.JobDependencies;
import org.zrepl.app.job.LocalJob;
import org.zrepl.app.job.ReplicationJob;
import org.zrepl.app.job.ReplicationJobState;
import org.zrepl.app.job.Scheduler;
import org.zrepl.app.job.SnapJob;
import org.zrepl.app.job.SnapJobState;
import org.zrepl.app.logging.Logging;
import org.zrepl.app.snapshot.SnapshotListener;
import org.zrepl.cli.inject.Wiring;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code zrepl run --once [--snapshot] JOB}: one invocation of a job in the foreground, the same
 * job code the daemon runs. Exit 0 if every dataset succeeded, 1 naming those that did not.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description =
        "Run one invocation of a job now, in the foreground: for a local job snapshot (if due),"
            + " replicate and prune both sides; for a push job snapshot (if due), replicate to"
            + " the sink and prune the sender; for a pull job replicate from the source and prune"
            + " the receiver; for a snap job snapshot and prune. Exit 0 if every filesystem"
            + " succeeded, 1 naming those that did not.%n%nExample:%n"
            + "  zrepl run --once --snapshot backup")
final class RunCommand implements Callable<Integer> {

  @Option(
      names = "--once",
      description = "Run one invocation and exit (required: the daemon runs jobs continuously).")
  boolean once;

  @Option(
      names = "--snapshot",
      description = "Take a snapshot round first even if the schedule says none is due.")
  boolean snapshot;

  @Parameters(index = "0", paramLabel = "JOB", description = "The job to run.")
  String job;

  @Spec CommandSpec spec;

  private final ZreplCommand top;

  RunCommand(ZreplCommand top) {
    this.top = top;
  }

  /** The job runs once and never starts its loop, so nothing is ever scheduled. */
  private static final Scheduler NO_LOOP =
      (at, task) -> {
        throw new IllegalStateException("run --once does not schedule; task due at " + at);
      };

  @Override
  public Integer call() {
    Logging.bindSlf4j();
    if (!once) {
      throw new UsageException(
          spec.commandLine(),
          "run needs --once (to run jobs continuously, start the daemon: zrepl daemon)");
    }
    Optional<Config> config = Configs.load(top, spec.commandLine().getErr());
    if (config.isEmpty()) {
      return 1;
    }
    Job j = Jobs.find(config.get(), job, spec.commandLine());
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Wiring wiring = top.context().wiring().get();
    JobDependencies deps = wiring.jobDependencies();
    if (j instanceof Job.Local l) {
      ReplicationJob local = localJob(l, deps);
      refuseSnapshotFlag(j, local.snapshots());
      ReplicationJobState s;
      try {
        s = local.runOnce(snapshot);
      } catch (RuntimeException e) {
        return failed(j, e, err);
      }
      return RunOnceOutput.local(s, out, err);
    }
    if (j instanceof Job.Snap snap) {
      SnapJob snapJob =
          SnapJob.of(
              snap,
              deps.zfs(),
              deps.hooks(),
              deps.clock(),
              deps.sleeper(),
              NO_LOOP,
              SnapshotListener.none(),
              Runnable::run);
      refuseSnapshotFlag(j, snapJob.snapshots());
      SnapJobState s;
      try {
        s = snapJob.runOnce();
      } catch (RuntimeException e) {
        return failed(j, e, err);
      }
      return RunOnceOutput.snap(s, out, err);
    }
    if (j instanceof Job.Push || j instanceof Job.Pull) {
      return runActive(j, wiring.activeSides(), out, err);
    }
    throw new CliException(
        "job '"
            + j.name()
            + "' is a "
            + j.type()
            + " job, which only serves; run --once runs local, snap, push and pull jobs (start"
            + " sink and source jobs with zrepl daemon)");
  }

  /** A push or pull job: connects to its peer, runs one invocation, closes the connections. */
  private int runActive(Job j, ActiveSides sides, PrintWriter out, PrintWriter err) {
    ActiveSides.Active active;
    try {
      active = sides.open(j, sides.transports(), NO_LOOP, Runnable::run);
    } catch (UnsupportedOperationException e) {
      throw new CliException("job '" + j.name() + "': " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new CliException(jobError(j.name(), e));
    }
    try (active) {
      ReplicationJob job = active.job();
      if (j instanceof Job.Pull && snapshot) {
        throw new UsageException(
            spec.commandLine(),
            "job '"
                + j.name()
                + "' is a pull job: it takes no snapshots (its source job does); drop --snapshot");
      }
      refuseSnapshotFlag(j, job.snapshots());
      ReplicationJobState s;
      try {
        s = job.runOnce(snapshot);
      } catch (RuntimeException e) {
        return failed(j, e, err);
      }
      return RunOnceOutput.replicating(s, j.type(), out, err);
    }
  }

  /** {@code --snapshot} on a job with {@code manual} snapshotting: a usage error (exit 2). */
  private void refuseSnapshotFlag(Job j, boolean takesSnapshots) {
    if (snapshot && !takesSnapshots) {
      throw new UsageException(
          spec.commandLine(),
          "job '"
              + j.name()
              + "' has manual snapshotting: it takes no snapshots itself; drop --snapshot (or"
              + " configure snapshotting type periodic or cron)");
    }
  }

  /**
   * The invocation failed as a whole (interrupted, a replication worker died, a bug): exit 1 with
   * the cause chain. Not a usage error: the command line was fine.
   */
  static int failed(Job j, RuntimeException e, PrintWriter err) {
    err.println("zrepl: error: job '" + j.name() + "' failed: " + e.getMessage());
    Throwable c = e.getCause();
    for (int depth = 0; c != null && depth < 16; depth++, c = c.getCause()) {
      err.println("  caused by: " + c);
    }
    err.flush();
    return 1;
  }

  private ReplicationJob localJob(Job.Local l, JobDependencies deps) {
    try {
      return LocalJob.of(
          l, deps.zfs(), deps.hooks(), deps.clock(), NO_LOOP, deps.sleeper(), Runnable::run);
    } catch (IllegalArgumentException e) {
      throw new CliException(jobError(l.name(), e));
    }
  }

  /** The reason a job cannot be built, naming the job once. */
  private static String jobError(String job, IllegalArgumentException e) {
    String m = String.valueOf(e.getMessage());
    return m.startsWith("job '" + job + "'") ? m : "job '" + job + "': " + m;
  }
}
