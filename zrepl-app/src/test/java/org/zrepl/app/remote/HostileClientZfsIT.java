package org.zrepl.app.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.zrepl.app.endpoint.LocalReceiver;
import org.zrepl.app.endpoint.LocalSender;
import org.zrepl.app.endpoint.ReceiverMapping;
import org.zrepl.app.endpoint.SessionCursors;
import org.zrepl.app.replication.ProgressListener;
import org.zrepl.app.replication.ReplicationEngine;
import org.zrepl.app.replication.ReplicationPolicy;
import org.zrepl.app.replication.ReplicationReport;
import org.zrepl.app.testing.ManualClock;
import org.zrepl.domain.dataset.DatasetFilter;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.replication.Step;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.endpoint.EndpointException;
import org.zrepl.port.endpoint.ReceiveStepRequest;
import org.zrepl.port.endpoint.Receiver;
import org.zrepl.port.endpoint.SendCompletedRequest;
import org.zrepl.port.endpoint.SendStepRequest;
import org.zrepl.port.endpoint.Sender;
import org.zrepl.port.transport.ClientIdentity;
import org.zrepl.port.transport.Endpoints;
import org.zrepl.port.transport.TransportException;
import org.zrepl.port.zfs.DatasetInfo;
import org.zrepl.port.zfs.Property;
import org.zrepl.port.zfs.SendFlag;
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
 * A hostile client against a real sink and a real source over loopback TCP on zfs-fuse (identity
 * {@code alice}): a sender's {@code mountpoint} never reaches the sink, odd names and other trees
 * are refused, and nothing outside {@code root_fs/alice} (sink) or the filter (source) is created,
 * changed, destroyed or revealed.
 */
class HostileClientZfsIT {

  @RegisterExtension static final ZfsFusePoolFixture POOL = new ZfsFusePoolFixture();

  private static final List<String> ODD_NAMES =
      List.of(
          "..",
          "../x",
          "/abs",
          "@s",
          "a@s",
          "a#b",
          "a%b",
          "a b",
          "a\nb",
          "ünïcødé",
          "x".repeat(300),
          "",
          "bob/x",
          "a//b");

  private final CliZfs zfs = new CliZfs(new LocalProcessLauncher());
  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private ZfsFixture fixture;
  private DatasetPath src;
  private DatasetPath dst;
  private RpcServer server;
  private RpcClient client;

  @BeforeEach
  void roots() {
    fixture = POOL.fixture(zfs);
    src = fixture.newRoot();
    dst = fixture.newReceiveRoot();
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
    TcpListener l = TcpListener.bind("127.0.0.1:0", ClientMap.of(Map.of("127.0.0.1", "alice")));
    server = new RpcServer(l, endpoints).start();
    client = new RpcClient(TcpConnector.of("127.0.0.1:" + l.port(), Duration.ofSeconds(5)));
  }

  private Endpoints sink() {
    return new Endpoints() {
      @Override
      public Optional<Sender> sender(ClientIdentity c) {
        return Optional.empty();
      }

      @Override
      public Optional<Receiver> receiver(ClientIdentity c) {
        return Optional.of(
            new LocalReceiver(zfs, ReceiverMapping.underRoot(dst, c.name()), "sink"));
      }
    };
  }

  /** Every dataset, snapshot and bookmark of the pool with the properties a client could change. */
  private Map<String, String> everything() {
    Map<String, String> out = new TreeMap<>();
    for (DatasetInfo d :
        zfs.listDatasets(List.of(DatasetPath.of(POOL.pool())), Set.of("mountpoint", "readonly"))) {
      out.put(d.path().toString(), d.properties().toString());
      for (FilesystemVersion v : zfs.listVersions(d.path())) {
        out.put(v.fullName(d.path()), Long.toUnsignedString(v.guid()));
      }
    }
    return out;
  }

  private static Map<String, String> outside(Map<String, String> all, DatasetPath allowed) {
    Map<String, String> out = new TreeMap<>(all);
    out.keySet().removeIf(k -> k.equals(allowed.toString()) || k.startsWith(allowed + "/"));
    out.keySet().removeIf(k -> k.startsWith(allowed + "@") || k.startsWith(allowed + "#"));
    return out;
  }

  @Test
  void aPushedMountpointStaysUnderTheSinksTree(@TempDir Path tmp) throws IOException {
    serve(sink());
    Path evil = Files.createDirectories(tmp.resolve("evil"));
    DatasetPath a = src.child("a");
    zfs.createFilesystem(a, Map.of(), false);
    fixture.write(a, "f", "x".getBytes(StandardCharsets.UTF_8));
    zfs.setProperty(a, "mountpoint", evil.toString());
    zfs.snapshot(List.of(a), "s1");
    Sender sender =
        new LocalSender(
            zfs, DatasetFilter.of(Map.of(a.toString(), "ok")), "push", Set.of(SendFlag.PROPERTIES));

    try {
      ReplicationReport r = run(sender, new RemoteReceiver(client));
      assertThat(r.isSuccess()).as(r.describe()).isTrue();
      zfs.snapshot(List.of(a), "s2");
      ReplicationReport r2 = run(sender, new RemoteReceiver(client));
      assertThat(r2.isSuccess()).as(r2.describe()).isTrue();
      assertConfined(a, evil);
    } finally {
      zfs.inheritProperty(a, "mountpoint"); // unmounts the source from the temp dir
    }
  }

  private void assertConfined(DatasetPath a, Path evil) {

    DatasetPath landed = dst.child("alice").append(a.components());
    Property mp = zfs.getProperties(landed.toString(), Set.of("mountpoint")).get("mountpoint");
    String dstMp =
        zfs.getProperties(dst.toString(), Set.of("mountpoint")).get("mountpoint").value();
    assertThat(mp.source()).isEqualTo(Property.Source.INHERITED);
    assertThat(mp.value()).startsWith(dstMp + "/").isNotEqualTo(evil.toString());
    // mounting it mounts it under the sink's tree, nowhere else
    fixture.read(landed, "f");
    assertThat(zfs.getProperties(a.toString(), Set.of("mountpoint")).get("mountpoint").value())
        .isEqualTo(evil.toString());
  }

  private ReplicationReport run(Sender sender, Receiver receiver) {
    return new ReplicationEngine(clock, d -> clock.advance(d))
        .run(sender, receiver, ReplicationPolicy.defaults(), ProgressListener.none());
  }

  @Test
  void aSinkConfinesAClientToItsOwnTree() throws IOException {
    serve(sink());
    DatasetPath bobs = dst.child("bob");
    zfs.createFilesystem(bobs.child("x"), Map.of(), true);
    zfs.snapshot(List.of(bobs.child("x")), "s1");
    Map<String, String> before = everything();
    RemoteReceiver receiver = new RemoteReceiver(client);
    FilesystemVersion forged =
        FilesystemVersion.snapshot("s1", 42, 1, Instant.parse("2026-01-01T00:00:00Z"));
    List<String> refusals = new ArrayList<>();
    for (String name : ODD_NAMES) {
      List<Runnable> calls =
          List.of(
              () -> receiver.listFilesystems(List.of(DatasetPath.of(name))),
              () -> receiver.listVersions(List.of(DatasetPath.of(name))),
              () -> receiver.resumeToken(DatasetPath.of(name)),
              () -> receiver.destroySnapshots(DatasetPath.of(name), List.of(forged)),
              () -> receiver.rollback(DatasetPath.of(name), forged, List.of()),
              () ->
                  receiver.receive(
                      ReceiveStepRequest.of(DatasetPath.of(name), Step.full(forged)),
                      new ByteArrayInputStream(new byte[4096])));
      for (Runnable c : calls) {
        try {
          c.run();
        } catch (IllegalArgumentException | EndpointException e) {
          refusals.add(name + ": " + e.getMessage());
        }
      }
    }
    // bob's tree seen from alice: an alice-relative name, so it lands below dst/alice/bob
    assertThat(receiver.listFilesystems(List.of(DatasetPath.of("bob/x"))).values())
        .allSatisfy(f -> assertThat(f.localPath()).isEqualTo(dst.child("alice/bob/x")));
    // our client refuses the invalid names itself, all six calls of each; what the server does
    // with them (raw frames, every call, the pool compared) is RawNamesZfsIT's subject
    long invalid = ODD_NAMES.stream().filter(n -> !DatasetPath.isValid(n)).count();
    assertThat(invalid).isEqualTo(ODD_NAMES.size() - 2);
    assertThat(refusals.stream().filter(r -> r.contains("dataset path")))
        .hasSize((int) invalid * 6);
    assertThat(outside(everything(), dst.child("alice")))
        .isEqualTo(outside(before, dst.child("alice")));
  }

  @Test
  void aSourceNeverListsSendsOrDestroysOutsideItsFilter() throws IOException {
    DatasetPath a = src.child("a");
    DatasetPath secret = src.child("private");
    zfs.createFilesystem(a, Map.of(), false);
    zfs.createFilesystem(secret, Map.of(), false);
    zfs.snapshot(List.of(a), "s1");
    zfs.snapshot(List.of(secret), "s1");
    Job job = new Job(zfs, DatasetFilter.of(Map.of(a.toString(), "ok")));
    serve(job.endpoints);
    Map<String, String> before = everything();
    RemoteSender sender = new RemoteSender(client);
    FilesystemVersion s1 = zfs.listVersions(secret).get(0);
    Step step = Step.full(s1);

    assertThat(sender.listFilesystems()).extracting(f -> f.path()).containsExactly(a);
    List<Runnable> calls =
        List.of(
            () -> sender.listVersions(List.of(secret)),
            () -> sender.estimateSize(SendStepRequest.of(secret, step)),
            () -> sender.send(SendStepRequest.of(secret, step)),
            () -> sender.sendCompleted(new SendCompletedRequest(secret, step, true)),
            () -> sender.destroySnapshots(secret, List.of(s1)));
    for (Runnable c : calls) {
      assertThatThrownBy(c::run)
          .isInstanceOf(EndpointException.class)
          .hasMessageContaining(secret.toString())
          .hasMessageContaining("not served");
    }
    for (String name : ODD_NAMES) {
      assertThatThrownBy(() -> sender.listVersions(List.of(DatasetPath.of(name))))
          .isInstanceOfAny(IllegalArgumentException.class, EndpointException.class);
    }
    // a step never sent to this client does not move the session's cursor
    FilesystemVersion mine = zfs.listVersions(a).get(0);
    sender.sendCompleted(new SendCompletedRequest(a, Step.full(mine), true));
    assertThat(job.session.lastReplicated(a)).isEmpty();
    assertThat(job.session.lastReplicated(secret)).isEmpty();
    assertThat(everything()).isEqualTo(before);
  }

  @Test
  void callsOutOfOrderAreRefusedOrHarmless() throws IOException {
    serve(sink());
    RemoteSender asSender = new RemoteSender(client);
    assertThatThrownBy(asSender::listFilesystems)
        .isInstanceOf(TransportException.class)
        .hasMessageContaining("nothing is served to it as a source");
    RemoteReceiver receiver = new RemoteReceiver(client);
    Map<String, String> before = everything();
    FilesystemVersion never =
        FilesystemVersion.snapshot("s9", 9, 9, Instant.parse("2026-01-01T00:00:00Z"));
    // destroy / rollback before anything was received
    assertThatThrownBy(() -> receiver.destroySnapshots(DatasetPath.of("a"), List.of(never)))
        .isInstanceOf(EndpointException.class);
    assertThatThrownBy(() -> receiver.rollback(DatasetPath.of("a"), never, List.of()))
        .isInstanceOf(EndpointException.class);
    assertThat(receiver.resumeToken(DatasetPath.of("a"))).isEmpty();
    assertThat(everything()).isEqualTo(before);
  }

  /** A source job's endpoints and session, as the daemon builds them. */
  private static final class Job {
    final SessionCursors session = new SessionCursors();
    final Endpoints endpoints;

    Job(CliZfs zfs, DatasetFilter filter) {
      LocalSender local = new LocalSender(zfs, filter, "source", Set.of());
      endpoints =
          new Endpoints() {
            @Override
            public Optional<Sender> sender(ClientIdentity c) {
              return Optional.of(session.track(local, c.name()));
            }

            @Override
            public Optional<Receiver> receiver(ClientIdentity c) {
              return Optional.empty();
            }
          };
    }
  }
}
