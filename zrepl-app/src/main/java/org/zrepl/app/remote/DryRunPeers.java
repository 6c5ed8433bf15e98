package org.zrepl.app.remote;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.zrepl.app.config.Config;
import org.zrepl.app.config.Connect;
import org.zrepl.app.config.Job;
import org.zrepl.app.config.Serve;
import org.zrepl.app.endpoint.LocalReceiver;
import org.zrepl.app.endpoint.SessionCursors;
import org.zrepl.app.job.ActiveJobs;
import org.zrepl.app.job.ReplicationBinding;
import org.zrepl.app.replication.Sleeper;
import org.zrepl.port.endpoint.Receiver;
import org.zrepl.port.endpoint.Sender;
import org.zrepl.port.transport.Endpoints;
import org.zrepl.port.transport.Rpc;
import org.zrepl.port.zfs.Zfs;

/**
 * The two endpoints of a push or pull job as its daemon builds them, for {@code zrepl test prune}:
 * the local one on this machine's ZFS, the remote one through the job's {@code connect:}. A {@code
 * local} connection is served in-process by the sink or source job of the same configuration that
 * serves that listener (it only lists; a dry run destroys nothing). {@link #close()} closes the
 * connection and any such server.
 */
public final class DryRunPeers implements AutoCloseable {

  private final Sender sender;
  private final Receiver receiver;
  private final Rpc.Peer peer;
  private final List<Rpc.Server> servers;

  private DryRunPeers(Sender sender, Receiver receiver, Rpc.Peer peer, List<Rpc.Server> servers) {
    this.sender = sender;
    this.receiver = receiver;
    this.peer = peer;
    this.servers = List.copyOf(servers);
  }

  /** What a dry run connects with. */
  public record Ports(Zfs zfs, Transports transports, Rpc rpc, Clock clock, Sleeper sleeper) {
    public Ports {
      java.util.Objects.requireNonNull(zfs, "zfs");
      java.util.Objects.requireNonNull(transports, "transports");
      java.util.Objects.requireNonNull(rpc, "rpc");
      java.util.Objects.requireNonNull(clock, "clock");
      java.util.Objects.requireNonNull(sleeper, "sleeper");
    }
  }

  /**
   * Connects for {@code job} (a push or pull job of {@code config}); throws
   * IllegalArgumentException for other job types. Connecting itself happens on the first call.
   */
  public static DryRunPeers open(Config config, Job job, Ports ports) throws IOException {
    Connect connect;
    if (job instanceof Job.Push p) {
      connect = p.connect();
    } else if (job instanceof Job.Pull p) {
      connect = p.connect();
    } else {
      throw new IllegalArgumentException(
          "job '" + job.name() + "' (" + job.type() + ") has no connection to a peer");
    }
    List<Rpc.Server> servers = new ArrayList<>();
    if (connect instanceof Connect.Local l) {
      for (Job j : config.jobs()) {
        serveLocally(j, l.listenerName(), ports).ifPresent(servers::add);
      }
    }
    Rpc.Peer peer = ports.rpc().connect(ports.transports().connector(connect));
    Zfs zfs = ports.zfs();
    if (job instanceof Job.Push p) {
      Sender sender = ReplicationBinding.sender(zfs, p.filesystems().filter(), p.name(), p.send());
      return new DryRunPeers(sender, peer.receiver(), peer, servers);
    }
    Job.Pull p = (Job.Pull) job;
    Receiver receiver = new LocalReceiver(zfs, ActiveJobs.mapping(p.target()), p.name());
    return new DryRunPeers(peer.sender(), receiver, peer, servers);
  }

  private static Optional<Rpc.Server> serveLocally(Job j, String listener, Ports ports)
      throws IOException {
    Serve serve;
    Endpoints endpoints;
    if (j instanceof Job.Sink s) {
      serve = s.serve();
      endpoints = SinkEndpoints.of(s, ports.zfs(), ports.clock(), ports.sleeper());
    } else if (j instanceof Job.Source s) {
      serve = s.serve();
      endpoints =
          SourceEndpoints.of(s, ports.zfs(), new SessionCursors(), ports.clock(), ports.sleeper());
    } else {
      return Optional.empty();
    }
    if (!(serve instanceof Serve.Local l) || !l.listenerName().equals(listener)) {
      return Optional.empty();
    }
    return Optional.of(ports.rpc().serve(ports.transports().listener(serve), endpoints));
  }

  public Sender sender() {
    return sender;
  }

  public Receiver receiver() {
    return receiver;
  }

  /** Where the remote side is, for messages. */
  public String describe() {
    return peer.describe();
  }

  @Override
  public void close() throws IOException {
    peer.close();
    for (Rpc.Server s : servers) {
      s.close();
    }
  }
}
