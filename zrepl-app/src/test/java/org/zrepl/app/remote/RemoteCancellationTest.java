package org.zrepl.app.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.zrepl.app.endpoint.LocalReceiver;
import org.zrepl.app.endpoint.LocalSender;
import org.zrepl.app.endpoint.ReceiverMapping;
import org.zrepl.app.replication.Cancellation;
import org.zrepl.app.replication.FilesystemResult;
import org.zrepl.app.replication.ProgressEvent;
import org.zrepl.app.replication.ReplicationEngine;
import org.zrepl.app.replication.ReplicationPolicy;
import org.zrepl.app.replication.ReplicationReport;
import org.zrepl.app.testing.ManualClock;
import org.zrepl.domain.dataset.DatasetFilter;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.endpoint.Receiver;
import org.zrepl.port.endpoint.Sender;
import org.zrepl.port.transport.ClientIdentity;
import org.zrepl.port.transport.Endpoints;
import org.zrepl.port.zfs.ZfsCapabilities;
import org.zrepl.transport.local.LocalConnector;
import org.zrepl.transport.local.LocalListener;
import org.zrepl.transport.rpc.RemoteReceiver;
import org.zrepl.transport.rpc.RemoteSender;
import org.zrepl.transport.rpc.RpcClient;
import org.zrepl.transport.rpc.RpcServer;
import org.zrepl.zfs.fake.InMemoryZfs;

/**
 * {@code zrepl signal reset} on push and pull jobs, over the in-process transport on the fake
 * (OpenZFS 2.1 preset): the cancelled step stops on both ends, the receiving side keeps its
 * resumable state, and the next run resumes and finishes.
 */
class RemoteCancellationTest {

  private static final String WHY = "reset by the operator (zrepl signal reset)";
  private static final DatasetPath A = DatasetPath.of("src/a");

  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final InMemoryZfs zfs = new InMemoryZfs(ZfsCapabilities.openZfs21(), clock, 3);
  private RpcServer server;
  private RpcClient client;
  private final List<ProgressEvent.StepStarted> secondRunSteps = new java.util.ArrayList<>();

  RemoteCancellationTest() {
    zfs.createPool("src");
    zfs.createPool("dst");
    zfs.createFilesystem(A, Map.of(), false);
    zfs.write(A, "f", "a".repeat(600_000).getBytes(StandardCharsets.UTF_8));
    zfs.snapshot(List.of(A), "s1");
  }

  @AfterEach
  void close() throws java.io.IOException {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private void serve(Endpoints endpoints) {
    LocalListener listener = new LocalListener("cancel-test");
    server = new RpcServer(listener, endpoints).start();
    client = new RpcClient(new LocalConnector(listener, new ClientIdentity("laptop")));
  }

  /** Runs once with a cancel after 200 KB, then once more; both reports. */
  private List<ReplicationReport> cancelledThenAgain(Sender sender, Receiver receiver) {
    Cancellation cancel = new Cancellation();
    ReplicationEngine engine = new ReplicationEngine(clock, clock::advance);
    ReplicationPolicy policy = ReplicationPolicy.defaults().withMaxAttempts(3);
    ReplicationReport first =
        engine.run(
            sender,
            receiver,
            policy,
            e -> {
              if (e instanceof ProgressEvent.BytesSent b && b.bytes() > 200_000) {
                cancel.cancel(WHY);
              }
            },
            cancel);
    ReplicationReport second =
        engine.run(
            sender,
            receiver,
            policy,
            e -> {
              if (e instanceof ProgressEvent.StepStarted st) {
                secondRunSteps.add(st);
              }
            },
            new Cancellation());
    return List.of(first, second);
  }

  private void assertCancelledThenFinished(List<ReplicationReport> runs, DatasetPath replica) {
    FilesystemResult.Failed failed = (FilesystemResult.Failed) runs.get(0).result(A).orElseThrow();
    assertThat(failed.error()).contains("aborted: " + WHY);
    assertThat(failed.attempts()).isEqualTo(1);
    assertThat(runs.get(1).isSuccess()).as(runs.get(1).describe()).isTrue();
    assertThat(secondRunSteps)
        .as(
            "the next run resumes the partial receive: %s / %s",
            runs.get(0).describe(), runs.get(1).describe())
        .first()
        .extracting(ProgressEvent.StepStarted::resumed)
        .isEqualTo(true);
    assertThat(
            zfs.listVersions(replica).stream()
                .filter(FilesystemVersion::isSnapshot)
                .map(FilesystemVersion::name))
        .containsExactly("s1");
    assertThat(zfs.read(replica, "f").orElseThrow()).hasSize(600_000);
    assertThat(zfs.holds(A, "s1")).as("no step hold left on the sender").isEmpty();
  }

  @Test
  void pushResetStopsTheSinksReceiveWhichKeepsItsStateForTheNextRun() {
    serve(
        new Endpoints() {
          @Override
          public Optional<Sender> sender(ClientIdentity c) {
            return Optional.empty();
          }

          @Override
          public Optional<Receiver> receiver(ClientIdentity c) {
            return Optional.of(
                new LocalReceiver(
                    zfs, ReceiverMapping.underRoot(DatasetPath.of("dst"), c.name()), "sink"));
          }
        });
    Sender sender = new LocalSender(zfs, DatasetFilter.of(Map.of("src/a", "ok")), "push", Set.of());

    List<ReplicationReport> runs = cancelledThenAgain(sender, new RemoteReceiver(client));

    assertCancelledThenFinished(runs, DatasetPath.of("dst/laptop/src/a"));
  }

  @Test
  void pullResetStopsTheSourcesSendAndTheNextRunResumes() {
    serve(
        new SourceEndpoints(
            new LocalSender(zfs, DatasetFilter.of(Map.of("src/a", "ok")), "source", Set.of())));
    Receiver receiver =
        new LocalReceiver(
            zfs, s -> Optional.of(DatasetPath.of("dst").append(s.components())), "pull");

    List<ReplicationReport> runs = cancelledThenAgain(new RemoteSender(client), receiver);

    assertCancelledThenFinished(runs, DatasetPath.of("dst/src/a"));
  }
}
