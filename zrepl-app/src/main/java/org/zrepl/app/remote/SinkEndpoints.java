package org.zrepl.app.remote;

import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.zrepl.app.config.Job;
import org.zrepl.app.config.Target;
import org.zrepl.app.endpoint.LocalReceiver;
import org.zrepl.app.endpoint.ReceiverMapping;
import org.zrepl.app.job.ReplicationBinding;
import org.zrepl.app.replication.Sleeper;
import org.zrepl.app.replication.TokenBucket;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.port.endpoint.Receiver;
import org.zrepl.port.endpoint.Sender;
import org.zrepl.port.transport.ClientIdentity;
import org.zrepl.port.transport.Endpoints;
import org.zrepl.port.zfs.Zfs;

/**
 * What a {@code sink} job serves: to each client a {@link LocalReceiver} that writes only below
 * {@code root_fs/<identity>} (or through the job's {@code mapping}); no sender.
 */
public final class SinkEndpoints implements Endpoints {
  private final Function<ClientIdentity, Receiver> build;
  private final Map<ClientIdentity, Receiver> receivers = new ConcurrentHashMap<>();

  SinkEndpoints(Function<ClientIdentity, Receiver> build) {
    this.build = build;
  }

  /**
   * The receivers of {@code job} on {@code zfs}; {@code recv.bandwidth_limit} waits through {@code
   * sleeper}.
   */
  public static SinkEndpoints of(Job.Sink job, Zfs zfs, Clock clock, Sleeper sleeper) {
    Objects.requireNonNull(zfs, "zfs");
    Optional<TokenBucket> limit =
        ReplicationBinding.bandwidthLimit(job.recv().bandwidthLimit())
            .map(l -> new TokenBucket(l, clock, sleeper));
    return new SinkEndpoints(
        client ->
            Throttled.receiver(
                ReplicationBinding.receiver(
                    zfs,
                    mapping(job.target(), client),
                    job.name(),
                    job.recv(),
                    clientRoot(job.target(), client)),
                limit));
  }

  /** {@code root_fs/<identity>}: the placeholder {@code recv.placeholder.encryption} allows. */
  static Optional<DatasetPath> clientRoot(Target target, ClientIdentity client) {
    return target instanceof Target.RootFs r
        ? Optional.of(r.root().child(client.name()))
        : Optional.empty();
  }

  static ReceiverMapping mapping(Target target, ClientIdentity client) {
    if (target instanceof Target.RootFs r) {
      return ReceiverMapping.underRoot(r.root(), client.name());
    }
    return ReceiverMapping.of(((Target.Mapped) target).mapping().mapping());
  }

  @Override
  public Optional<Sender> sender(ClientIdentity client) {
    return Optional.empty();
  }

  @Override
  public Optional<Receiver> receiver(ClientIdentity client) {
    return Optional.of(receivers.computeIfAbsent(client, build));
  }
}
