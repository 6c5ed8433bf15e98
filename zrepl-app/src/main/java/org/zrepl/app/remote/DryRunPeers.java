package org.zrepl.app.remote;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.zrepl.app.config.Config;
import org.zrepl.app.config.Connect;
import org.zrepl.app.config.Job;
import org.zrepl.app.config.Serve;
import org.zrepl.app.endpoint.LocalReceiver;
import org.zrepl.app.job.ActiveJobs;
import org.zrepl.app.job.ReplicationBinding;
import org.zrepl.port.endpoint.Receiver;
import org.zrepl.port.endpoint.Sender;
import org.zrepl.port.zfs.Zfs;
import org.zrepl.transport.rpc.Endpoints;
import org.zrepl.transport.rpc.RemoteReceiver;
import org.zrepl.transport.rpc.RemoteSender;
import org.zrepl.transport.rpc.RpcClient;
import org.zrepl.transport.rpc.RpcServer;

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
  private final RpcClient client;
  private final List<RpcServer> servers;

  private DryRunPeers(Sender sender, Receiver receiver, RpcClient client, List<RpcServer> servers) {
    this.sender = sender;
    this.receiver = receiver;
    this.client = client;
    this.servers = List.copyOf(servers);
  }

  /**
   * Connects for {@code job} (a push or pull job of {@code config}); throws
   * IllegalArgumentException for other job types. Connecting itself happens on the first call.
   */
  public static DryRunPeers open(Config config, Job job, Zfs zfs) throws IOException {
    Objects.requireNonNull(zfs, "zfs");
    Transports transports = new Transports(new LocalListeners(), Clock.systemUTC());
    Connect connect;
    if (job instanceof Job.Push p) {
      connect = p.connect();
    } else if (job instanceof Job.Pull p) {
      connect = p.connect();
    } else {
      throw new IllegalArgumentException(
          "job '" + job.name() + "' (" + job.type() + ") has no connection to a peer");
    }
    List<RpcServer> servers = new ArrayList<>();
    if (connect instanceof Connect.Local l) {
      for (Job j : config.jobs()) {
        serveLocally(j, l.listenerName(), zfs, transports).ifPresent(servers::add);
      }
    }
    RpcClient client = new RpcClient(transports.connector(connect));
    if (job instanceof Job.Push p) {
      Sender sender = ReplicationBinding.sender(zfs, p.filesystems().filter(), p.name(), p.send());
      return new DryRunPeers(sender, new RemoteReceiver(client), client, servers);
    }
    Job.Pull p = (Job.Pull) job;
    Receiver receiver = new LocalReceiver(zfs, ActiveJobs.mapping(p.target()), p.name());
    return new DryRunPeers(new RemoteSender(client), receiver, client, servers);
  }

  private static Optional<RpcServer> serveLocally(
      Job j, String listener, Zfs zfs, Transports transports) throws IOException {
    Serve serve;
    Endpoints endpoints;
    if (j instanceof Job.Sink s) {
      serve = s.serve();
      endpoints = SinkEndpoints.of(s, zfs);
    } else if (j instanceof Job.Source s) {
      serve = s.serve();
      endpoints = SourceEndpoints.of(s, zfs);
    } else {
      return Optional.empty();
    }
    if (!(serve instanceof Serve.Local l) || !l.listenerName().equals(listener)) {
      return Optional.empty();
    }
    return Optional.of(new RpcServer(transports.listener(serve), endpoints).start());
  }

  public Sender sender() {
    return sender;
  }

  public Receiver receiver() {
    return receiver;
  }

  /** Where the remote side is, for messages. */
  public String describe() {
    return client.describe();
  }

  @Override
  public void close() throws IOException {
    client.close();
    for (RpcServer s : servers) {
      s.close();
    }
  }
}
