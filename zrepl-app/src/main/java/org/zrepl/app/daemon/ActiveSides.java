package org.zrepl.app.daemon;

import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.zrepl.app.config.Config;
import org.zrepl.app.config.Connect;
import org.zrepl.app.config.Global;
import org.zrepl.app.config.Job;
import org.zrepl.app.job.ActiveJobs;
import org.zrepl.app.job.ReplicationJob;
import org.zrepl.app.job.Scheduler;
import org.zrepl.app.remote.DryRunPeers;
import org.zrepl.app.remote.Transports;
import org.zrepl.port.transport.Rpc;

/**
 * The one place where the active side of a {@code push} or {@code pull} job is put together: its
 * {@code connect:} wire, the RPC peer over it and the job on this machine's ZFS. The daemon, {@code
 * zrepl run --once} and {@code zrepl test prune} all come here.
 */
public final class ActiveSides {

  private final JobDependencies deps;

  @Inject
  public ActiveSides(JobDependencies deps) {
    this.deps = Objects.requireNonNull(deps, "deps");
  }

  /** A push or pull job and the peer it replicates with; closing it closes the connection. */
  public record Active(ReplicationJob job, Rpc.Peer peer) implements AutoCloseable {
    public Active {
      Objects.requireNonNull(job, "job");
      Objects.requireNonNull(peer, "peer");
    }

    @Override
    public void close() {
      peer.close();
    }
  }

  /** Wires of their own, stdinserver sockets in the default directory. */
  public Transports transports() {
    return transports(() -> Global.DEFAULT_STDINSERVER_SOCKDIR);
  }

  /** Wires of their own; stdinserver listeners put their sockets in {@code stdinserverSockdir}. */
  public Transports transports(Supplier<Path> stdinserverSockdir) {
    return new Transports(deps.wires(), stdinserverSockdir);
  }

  /**
   * The job for {@code config} (a {@link Job.Push} or {@link Job.Pull}) connected through {@code
   * transports}. Throws {@link IllegalArgumentException} for other types, a bad {@code connect:} or
   * a job this ZFS cannot run, {@link UnsupportedOperationException} for an unknown wire.
   */
  public Active open(Job config, Transports transports, Scheduler scheduler, Executor notifier) {
    Connect connect;
    if (config instanceof Job.Push p) {
      connect = p.connect();
    } else if (config instanceof Job.Pull p) {
      connect = p.connect();
    } else {
      throw new IllegalArgumentException(
          "job '" + config.name() + "' (" + config.type() + ") has no connection to a peer");
    }
    Rpc.Peer peer = deps.rpc().connect(transports.connector(connect));
    try {
      ReplicationJob job =
          config instanceof Job.Push p
              ? ActiveJobs.push(
                  p,
                  deps.zfs(),
                  peer.receiver(),
                  deps.hooks(),
                  deps.clock(),
                  scheduler,
                  deps.sleeper(),
                  notifier)
              : ActiveJobs.pull(
                  (Job.Pull) config,
                  deps.zfs(),
                  peer.sender(),
                  deps.hooks(),
                  deps.clock(),
                  scheduler,
                  deps.sleeper(),
                  notifier);
      job.abortsWaitsOn(peer);
      return new Active(job, peer);
    } catch (RuntimeException e) {
      peer.close();
      throw e;
    }
  }

  /**
   * Both endpoints of a push or pull job of {@code config}, for a pruning dry run; a {@code local}
   * peer is served in-process by the configuration's own sink or source.
   */
  public DryRunPeers dryRun(Config config, Job job) throws IOException {
    return DryRunPeers.open(
        config,
        job,
        new DryRunPeers.Ports(deps.zfs(), transports(), deps.rpc(), deps.clock(), deps.sleeper()));
  }
}
