package org.zrepl.app.remote;

import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import org.zrepl.app.config.Job;
import org.zrepl.app.endpoint.LocalSender;
import org.zrepl.app.endpoint.SessionCursors;
import org.zrepl.app.job.ReplicationBinding;
import org.zrepl.app.replication.Sleeper;
import org.zrepl.app.replication.TokenBucket;
import org.zrepl.port.endpoint.Receiver;
import org.zrepl.port.endpoint.Sender;
import org.zrepl.port.zfs.Zfs;
import org.zrepl.transport.conn.ClientIdentity;
import org.zrepl.transport.rpc.Endpoints;

/**
 * What a {@code source} job serves: a {@link LocalSender} limited to the job's {@code filesystems}
 * (any other filesystem is {@code FilesystemNotFound}); no receiver.
 */
public final class SourceEndpoints implements Endpoints {
  private final Sender sender;

  SourceEndpoints(Sender sender) {
    this.sender = Objects.requireNonNull(sender, "sender");
  }

  public static SourceEndpoints of(Job.Source job, Zfs zfs) {
    return of(job, zfs, new SessionCursors());
  }

  /** As {@link #of(Job.Source, Zfs)}, telling {@code session} of every step it serves. */
  public static SourceEndpoints of(Job.Source job, Zfs zfs, SessionCursors session) {
    return of(job, zfs, session, Clock.systemUTC(), Sleeper.system());
  }

  /**
   * As {@link #of(Job.Source, Zfs, SessionCursors)}; {@code send.bandwidth_limit} waits through
   * {@code sleeper}.
   */
  public static SourceEndpoints of(
      Job.Source job, Zfs zfs, SessionCursors session, Clock clock, Sleeper sleeper) {
    Optional<TokenBucket> limit =
        ReplicationBinding.bandwidthLimit(job.send().bandwidthLimit())
            .map(l -> new TokenBucket(l, clock, sleeper));
    return new SourceEndpoints(
        Throttled.sender(
            session.track(
                new LocalSender(
                    zfs,
                    job.filesystems().filter(),
                    job.name(),
                    ReplicationBinding.sendFlags(job.send()))),
            limit));
  }

  @Override
  public Optional<Sender> sender(ClientIdentity client) {
    return Optional.of(sender);
  }

  @Override
  public Optional<Receiver> receiver(ClientIdentity client) {
    return Optional.empty();
  }
}
