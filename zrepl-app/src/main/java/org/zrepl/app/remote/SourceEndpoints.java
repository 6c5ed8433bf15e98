package org.zrepl.app.remote;

import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.zrepl.app.config.Job;
import org.zrepl.app.endpoint.EndpointNames;
import org.zrepl.app.endpoint.LocalSender;
import org.zrepl.app.endpoint.SessionCursors;
import org.zrepl.app.job.ReplicationBinding;
import org.zrepl.app.replication.Sleeper;
import org.zrepl.app.replication.TokenBucket;
import org.zrepl.port.endpoint.Receiver;
import org.zrepl.port.endpoint.Sender;
import org.zrepl.port.transport.ClientIdentity;
import org.zrepl.port.transport.Endpoints;
import org.zrepl.port.zfs.Zfs;

/**
 * What a {@code source} job serves: a {@link LocalSender} limited to the job's {@code filesystems}
 * (any other filesystem is {@code FilesystemNotFound}); no receiver.
 */
public final class SourceEndpoints implements Endpoints {
  private final Function<ClientIdentity, Sender> build;
  private final Map<ClientIdentity, Sender> senders = new ConcurrentHashMap<>();

  SourceEndpoints(Sender sender) {
    Objects.requireNonNull(sender, "sender");
    this.build = client -> sender;
  }

  private SourceEndpoints(Function<ClientIdentity, Sender> build) {
    this.build = build;
  }

  /**
   * The sender of {@code job} on {@code zfs}, telling {@code session} of every step it serves,
   * client by client (a client's completion only counts for a step sent to that client); {@code
   * send.bandwidth_limit} waits through {@code sleeper}, one bucket for all clients of the job.
   */
  public static SourceEndpoints of(
      Job.Source job, Zfs zfs, SessionCursors session, Clock clock, Sleeper sleeper) {
    Optional<TokenBucket> limit =
        ReplicationBinding.bandwidthLimit(job.send().bandwidthLimit())
            .map(l -> new TokenBucket(l, clock, sleeper));
    // refuses a send: setting this ZFS cannot follow now, at the job's start, not at a client's
    ReplicationBinding.sender(zfs, job.filesystems().filter(), job.name(), job.send());
    // Each puller has its own cursor and holds, named by job and client identity
    // (zrepl_CURSOR_G_<guid>_J_<job>_C_<client>), so pullers that fall behind keep their base.
    return new SourceEndpoints(
        client -> {
          LocalSender local =
              ReplicationBinding.sender(
                  zfs,
                  job.filesystems().filter(),
                  EndpointNames.forSourceClient(job.name(), client.name()).job(),
                  job.send());
          return Throttled.sender(session.track(local, client.name()), limit);
        });
  }

  @Override
  public Optional<Sender> sender(ClientIdentity client) {
    return Optional.of(senders.computeIfAbsent(client, build));
  }

  @Override
  public Optional<Receiver> receiver(ClientIdentity client) {
    return Optional.empty();
  }
}
