package org.zrepl.app.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.zrepl.app.config.Job;
import org.zrepl.app.endpoint.LocalReceiver;
import org.zrepl.app.endpoint.LocalSender;
import org.zrepl.app.endpoint.ReceiverMapping;
import org.zrepl.app.endpoint.SessionCursors;
import org.zrepl.app.prune.PruneReport;
import org.zrepl.app.prune.ReplicationPruning;
import org.zrepl.app.replication.ProgressEvent;
import org.zrepl.app.replication.ProgressListener;
import org.zrepl.app.replication.ReplicationEngine;
import org.zrepl.app.replication.ReplicationPolicy;
import org.zrepl.app.replication.ReplicationReport;
import org.zrepl.app.replication.Sleeper;
import org.zrepl.app.testing.ManualClock;
import org.zrepl.app.testing.TestConfigs;
import org.zrepl.domain.dataset.DatasetFilter;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.prune.KeepRule;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.endpoint.FilesystemNotFoundException;
import org.zrepl.port.endpoint.Receiver;
import org.zrepl.port.endpoint.Sender;
import org.zrepl.port.transport.ClientIdentity;
import org.zrepl.port.transport.Endpoints;
import org.zrepl.transport.rpc.RemoteReceiver;
import org.zrepl.transport.rpc.RemoteSender;
import org.zrepl.transport.rpc.RpcClient;
import org.zrepl.transport.rpc.RpcServer;
import org.zrepl.transport.tcp.ClientMap;
import org.zrepl.transport.tcp.TcpConnector;
import org.zrepl.transport.tcp.TcpListener;
import org.zrepl.zfs.ZfsFixture;
import org.zrepl.zfs.ZfsFusePoolFixture;
import org.zrepl.zfs.cli.CliZfs;
import org.zrepl.zfs.cli.LocalProcessLauncher;

/**
 * push→sink and pull←source over loopback TCP on a zfs-fuse pool: the same engine as a local job,
 * with the RPC endpoints on one side, a tree replicated fully and then incrementally.
 */
class RemoteReplicationIT {

  @RegisterExtension static final ZfsFusePoolFixture POOL = new ZfsFusePoolFixture();

  private final CliZfs zfs = new CliZfs(new LocalProcessLauncher());
  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private ZfsFixture fixture;
  private DatasetPath src;
  private DatasetPath dst;
  private TcpListener listener;
  private RpcServer server;
  private RpcClient client;

  @BeforeEach
  void roots() {
    fixture = POOL.fixture(zfs);
    src = fixture.newRoot();
    dst = fixture.newReceiveRoot();
    zfs.setProperty(dst, "atime", "off");
  }

  @AfterEach
  void stop() throws IOException {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private void serve(Endpoints endpoints) throws IOException {
    listener = TcpListener.bind("127.0.0.1:0", ClientMap.of(Map.of("127.0.0.1", "laptop")));
    server = new RpcServer(listener, endpoints).start();
    client = new RpcClient(TcpConnector.of("127.0.0.1:" + listener.port(), Duration.ofSeconds(5)));
  }

  private DatasetPath fs(String relative) {
    DatasetPath p = src.child(relative);
    zfs.createFilesystem(p, Map.of(), true);
    write(p, relative);
    return p;
  }

  private void write(DatasetPath p, String content) {
    fixture.write(p, "f", content.getBytes(StandardCharsets.UTF_8));
  }

  private void snapshot(String name, DatasetPath... filesystems) {
    for (DatasetPath f : filesystems) {
      zfs.snapshot(List.of(f), name);
    }
  }

  private DatasetFilter tree() {
    return DatasetFilter.of(Map.of(src + "<", "ok", src.toString(), "!"));
  }

  private List<String> snapshots(DatasetPath fs) {
    return zfs.listVersions(fs).stream()
        .filter(FilesystemVersion::isSnapshot)
        .map(FilesystemVersion::name)
        .toList();
  }

  private String read(DatasetPath fs) {
    return new String(fixture.read(fs, "f"), StandardCharsets.UTF_8);
  }

  private ReplicationReport run(Sender sender, Receiver receiver) {
    return new ReplicationEngine(clock, d -> clock.advance(d))
        .run(sender, receiver, ReplicationPolicy.defaults(), ProgressListener.none());
  }

  @Test
  void pushToASinkOverTcpLandsBelowRootFsAndTheClientsIdentity() throws IOException {
    serve(
        new Endpoints() {
          @Override
          public Optional<Sender> sender(ClientIdentity c) {
            return Optional.empty();
          }

          @Override
          public Optional<Receiver> receiver(ClientIdentity c) {
            return Optional.of(
                new LocalReceiver(zfs, ReceiverMapping.underRoot(dst, c.name()), "sink"));
          }
        });
    DatasetPath a = fs("a");
    DatasetPath b = fs("a/b");
    snapshot("s1", a, b);
    Sender sender = new LocalSender(zfs, tree(), "push", Set.of());
    Receiver receiver = new RemoteReceiver(client);

    ReplicationReport first = run(sender, receiver);
    assertThat(first.isSuccess()).as(first.describe()).isTrue();
    DatasetPath landed = dst.child("laptop").append(b.components());
    assertThat(snapshots(landed)).containsExactly("s1");
    assertThat(read(landed)).isEqualTo("a/b");

    write(b, "second");
    snapshot("s2", a, b);
    snapshot("s3", b);
    ReplicationReport second = run(sender, receiver);
    assertThat(second.isSuccess()).as(second.describe()).isTrue();
    assertThat(snapshots(landed)).containsExactly("s1", "s2", "s3");
    assertThat(read(landed)).isEqualTo("second");
    assertThat(snapshots(dst.child("laptop").append(a.components()))).containsExactly("s1", "s2");
  }

  @Test
  void pullFromASourceOverTcpServesOnlyItsFilesystems() throws IOException {
    DatasetPath a = fs("a");
    DatasetPath hidden = fs("hidden");
    snapshot("s1", a, hidden);
    serve(
        new SourceEndpoints(
            new LocalSender(
                zfs, DatasetFilter.of(Map.of(a.toString(), "ok")), "source", Set.of())));
    Sender sender = new RemoteSender(client);
    Receiver receiver =
        new LocalReceiver(zfs, s -> Optional.of(dst.append(s.trimPrefix(src))), "pull");

    ReplicationReport first = run(sender, receiver);
    assertThat(first.isSuccess()).as(first.describe()).isTrue();
    assertThat(snapshots(dst.child("a"))).containsExactly("s1");

    write(a, "more");
    snapshot("s2", a);
    ReplicationReport second = run(sender, receiver);
    assertThat(second.isSuccess()).as(second.describe()).isTrue();
    assertThat(snapshots(dst.child("a"))).containsExactly("s1", "s2");
    assertThat(read(dst.child("a"))).isEqualTo("more");

    assertThat(sender.listFilesystems()).extracting(f -> f.path()).containsExactly(a);
    assertThatThrownBy(() -> sender.listVersions(List.of(hidden)))
        .isInstanceOf(FilesystemNotFoundException.class)
        .hasMessageContaining(hidden.toString());
  }

  private static final List<KeepRule> LAST_ONE =
      List.of(new KeepRule.KeepLastN(1, Optional.empty()));
  private static final List<KeepRule> KEEP_NONE =
      List.of(new KeepRule.KeepRegex(Pattern.compile("^keep_"), false));

  @Test
  void pushPrunesBothSidesOverTcpAndKeepsTheIncrementalBase() throws IOException {
    serve(
        new Endpoints() {
          @Override
          public Optional<Sender> sender(ClientIdentity c) {
            return Optional.empty();
          }

          @Override
          public Optional<Receiver> receiver(ClientIdentity c) {
            return Optional.of(
                new LocalReceiver(zfs, ReceiverMapping.underRoot(dst, c.name()), "sink"));
          }
        });
    DatasetPath a = fs("a");
    snapshot("s1", a);
    Sender sender = new LocalSender(zfs, tree(), "push", Set.of());
    Receiver receiver = new RemoteReceiver(client);
    assertThat(run(sender, receiver).isSuccess()).isTrue();
    snapshot("s2", a);
    snapshot("s3", a);
    assertThat(run(sender, receiver).isSuccess()).isTrue();
    DatasetPath landed = dst.child("laptop").append(a.components());
    assertThat(snapshots(landed)).containsExactly("s1", "s2", "s3");

    PruneReport sent = ReplicationPruning.senderSide("push", KEEP_NONE, sender, receiver).execute();
    PruneReport received =
        ReplicationPruning.receiverSide("push", LAST_ONE, sender, receiver).execute();

    assertThat(sent.complete()).as(sent.toString()).isTrue();
    assertThat(received.complete()).as(received.toString()).isTrue();
    assertThat(snapshots(a)).as("the base, whatever keep_sender says").containsExactly("s3");
    assertThat(snapshots(landed)).containsExactly("s3");
    write(a, "after pruning");
    snapshot("s4", a);
    assertThat(run(sender, receiver).isSuccess()).as("incremental from the kept base").isTrue();
    assertThat(read(landed)).isEqualTo("after pruning");
  }

  @Test
  void pullPrunesTheSourceOverTcpOnlyWithinItsFilter() throws IOException {
    DatasetPath a = fs("a");
    DatasetPath hidden = fs("hidden");
    snapshot("s1", a, hidden);
    serve(
        new SourceEndpoints(
            new LocalSender(
                zfs, DatasetFilter.of(Map.of(a.toString(), "ok")), "source", Set.of())));
    Sender sender = new RemoteSender(client);
    Receiver receiver =
        new LocalReceiver(zfs, s -> Optional.of(dst.append(s.trimPrefix(src))), "pull");
    assertThat(run(sender, receiver).isSuccess()).isTrue();
    snapshot("s2", a);
    snapshot("s3", a);
    assertThat(run(sender, receiver).isSuccess()).isTrue();
    snapshot("s4", a);

    PruneReport sent =
        ReplicationPruning.senderSide(
                "pull", List.of(new KeepRule.KeepNotReplicated()), sender, receiver)
            .execute();

    assertThat(sent.complete()).as(sent.toString()).isTrue();
    assertThat(snapshots(a))
        .as("s3 is the base, s4 not replicated yet")
        .containsExactly("s3", "s4");
    assertThat(snapshots(hidden)).containsExactly("s1");
    FilesystemVersion h1 = zfs.listVersions(hidden).get(0);
    assertThatThrownBy(() -> sender.destroySnapshots(hidden, List.of(h1)))
        .isInstanceOf(FilesystemNotFoundException.class);
    assertThat(snapshots(hidden)).containsExactly("s1");
  }

  // ---- the serving side's bandwidth limits, from the job's configuration, over real TCP ----

  private static final long LIMIT = 1L << 20; // 1 MiB/s
  private static final int DATA = 6 << 20; // 6 MiB of incompressible data: about 6 s at the limit

  private DatasetPath bigFilesystem() {
    DatasetPath a = src.child("big");
    zfs.createFilesystem(a, Map.of(), true);
    byte[] data = new byte[DATA];
    new java.util.Random(42).nextBytes(data);
    fixture.write(a, "f", data);
    snapshot("s1", a);
    return a;
  }

  /**
   * The achieved rate: the bytes of the stream over the time from its first progress report to the
   * end of the run (when the receiver has taken the last byte: a sink's limit is felt by the client
   * only once the socket buffers between them are full), in bytes per second.
   */
  private static final class RateMeter implements ProgressListener {
    private long firstNanos = -1;
    private long endNanos;
    private long total;

    @Override
    public synchronized void on(ProgressEvent e) {
      if (e instanceof ProgressEvent.BytesSent b) {
        if (firstNanos < 0) {
          firstNanos = System.nanoTime();
        }
        total = Math.max(total, b.bytes());
      }
    }

    synchronized void end() {
      endNanos = System.nanoTime();
    }

    synchronized double rate() {
      return total * 1e9 / (endNanos - firstNanos);
    }
  }

  private RateMeter runMetered(Sender sender, Receiver receiver) {
    RateMeter meter = new RateMeter();
    ReplicationReport r =
        new ReplicationEngine(clock, d -> clock.advance(d))
            .run(sender, receiver, ReplicationPolicy.defaults(), meter);
    meter.end();
    assertThat(r.isSuccess()).as(r.describe()).isTrue();
    assertThat(meter.total).isGreaterThan(DATA);
    return meter;
  }

  @Test
  void aSinksRecvBandwidthLimitPacesThePushOverTcp() throws IOException {
    Job.Sink sink =
        (Job.Sink)
            TestConfigs.job(
                """
                jobs:
                - name: backups
                  type: sink
                  root_fs: %s
                  serve: { type: local, listener_name: x }
                  recv:
                    bandwidth_limit: { max: 1 MiB, bucket_capacity: 128 KiB }
                    placeholder: { encryption: inherit }
                """
                    .formatted(dst),
                "backups");
    serve(SinkEndpoints.of(sink, zfs, Clock.systemUTC(), Sleeper.system()));
    DatasetPath a = bigFilesystem();

    RateMeter meter =
        runMetered(new LocalSender(zfs, tree(), "push", Set.of()), new RemoteReceiver(client));

    assertThat(meter.rate()).as("bytes/s").isBetween(LIMIT * 0.8, LIMIT * 1.2);
    assertThat(snapshots(dst.child("laptop").append(a.components()))).containsExactly("s1");
  }

  @Test
  void aSourcesSendBandwidthLimitPacesThePullOverTcp() throws IOException {
    DatasetPath a = bigFilesystem();
    Job.Source source =
        (Job.Source)
            TestConfigs.job(
                """
                jobs:
                - name: laptop
                  type: source
                  serve: { type: local, listener_name: x }
                  filesystems: { "%s": true }
                  snapshotting: { type: manual }
                  send: { bandwidth_limit: { max: 1 MiB, bucket_capacity: 128 KiB } }
                """
                    .formatted(a),
                "laptop");
    serve(
        SourceEndpoints.of(source, zfs, new SessionCursors(), Clock.systemUTC(), Sleeper.system()));

    RateMeter meter =
        runMetered(
            new RemoteSender(client),
            new LocalReceiver(zfs, s -> Optional.of(dst.append(s.trimPrefix(src))), "pull"));

    assertThat(meter.rate()).as("bytes/s").isBetween(LIMIT * 0.8, LIMIT * 1.2);
    assertThat(snapshots(dst.child("big"))).containsExactly("s1");
  }
}
