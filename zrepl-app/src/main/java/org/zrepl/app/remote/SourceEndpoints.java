package org.zrepl.app.remote;

import java.util.Objects;
import java.util.Optional;
import org.zrepl.app.config.Job;
import org.zrepl.app.endpoint.SessionCursors;
import org.zrepl.app.job.ReplicationBinding;
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
    return new SourceEndpoints(
        session.track(
            ReplicationBinding.sender(zfs, job.filesystems().filter(), job.name(), job.send())));
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
