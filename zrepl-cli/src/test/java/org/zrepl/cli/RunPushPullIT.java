package org.zrepl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zrepl.app.config.Config;
import org.zrepl.app.config.ConfigLoader;
import org.zrepl.app.config.Job;
import org.zrepl.app.config.LoadResult;
import org.zrepl.app.endpoint.SessionCursors;
import org.zrepl.app.remote.SinkEndpoints;
import org.zrepl.app.remote.SourceEndpoints;
import org.zrepl.app.replication.Sleeper;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.transport.Endpoints;
import org.zrepl.port.zfs.ZfsCapabilities;
import org.zrepl.transport.rpc.RpcServer;
import org.zrepl.transport.tcp.ClientMap;
import org.zrepl.transport.tcp.TcpListener;
import org.zrepl.zfs.fake.InMemoryZfs;

/**
 * {@code zrepl run --once} for push and pull jobs against a sink and a source served on loopback
 * TCP in the test (over one in-memory ZFS with separate pools), the second run incremental.
 */
class RunPushPullIT {
  @TempDir Path dir;

  private final Clock clock = Clock.fixed(Instant.parse("2026-05-01T10:00:00Z"), ZoneOffset.UTC);
  private final InMemoryZfs zfs = new InMemoryZfs(ZfsCapabilities.zfsFuse(), clock, 3);
  private TcpListener listener;
  private RpcServer server;
  private Path config;
  private Config parsed;

  @BeforeEach
  void setUp() throws IOException {
    for (String pool : List.of("src", "sink", "pulled")) {
      zfs.createPool(pool);
    }
    for (String fs : List.of("src/a", "src/a/b")) {
      zfs.createFilesystem(DatasetPath.of(fs), Map.of(), false);
      zfs.write(DatasetPath.of(fs), "f", new byte[5000]);
    }
    listener = TcpListener.bind("127.0.0.1:0", ClientMap.of(Map.of("127.0.0.1", "laptop")));
    config = dir.resolve("zrepl.yml");
    Files.writeString(
        config,
        """
        jobs:
        - name: pusher
          type: push
          connect: { type: tcp, address: "127.0.0.1:PORT" }
          filesystems: { "src<": true }
          snapshotting: { type: periodic, prefix: zrepl_, interval: 1h }
          pruning:
            keep_sender: [ { type: not_replicated }, { type: last_n, count: 5 } ]
            keep_receiver: [ { type: last_n, count: 5 } ]
        - name: sink
          type: sink
          serve: { type: tcp, listen: "127.0.0.1:PORT", clients: { "127.0.0.1": "laptop" } }
          root_fs: sink
          recv: { placeholder: { encryption: inherit } }
        - name: puller
          type: pull
          connect: { type: tcp, address: "127.0.0.1:PORT" }
          root_fs: pulled
          recv: { placeholder: { encryption: inherit } }
          interval: manual
          pruning:
            keep_sender: [ { type: last_n, count: 5 } ]
            keep_receiver: [ { type: last_n, count: 5 } ]
        - name: source
          type: source
          serve: { type: tcp, listen: "127.0.0.1:PORT", clients: { "127.0.0.1": "laptop" } }
          filesystems: { "src/a": true }
          snapshotting: { type: manual }
        """
            .replace("PORT", Integer.toString(listener.port())));
    LoadResult r = ConfigLoader.load(config);
    assertThat(r).isInstanceOf(LoadResult.Valid.class);
    parsed = ((LoadResult.Valid) r).config();
  }

  @AfterEach
  void stop() throws IOException {
    if (server != null) {
      server.close();
    } else {
      listener.close();
    }
  }

  private <T extends Job> T job(String name, Class<T> type) {
    return parsed.jobs().stream()
        .filter(j -> j.name().equals(name))
        .map(type::cast)
        .findFirst()
        .orElseThrow();
  }

  private void serve(Endpoints e) {
    server = new RpcServer(listener, e).start();
  }

  private Cli run(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--config";
    all[1] = config.toString();
    System.arraycopy(args, 0, all, 2, args.length);
    return Cli.run(List.of(), () -> zfs, clock, all);
  }

  private List<String> snapshots(String fs) {
    return zfs.listVersions(DatasetPath.of(fs)).stream()
        .filter(FilesystemVersion::isSnapshot)
        .map(FilesystemVersion::name)
        .toList();
  }

  @Test
  void pushSnapshotsAndReplicatesToTheSinkBelowTheClientsIdentity() {
    serve(SinkEndpoints.of(job("sink", Job.Sink.class), zfs, clock, Sleeper.system()));

    Cli first = run("run", "--once", "pusher");
    assertThat(first.code()).as(first.err()).isEqualTo(0);
    assertThat(first.out()).contains("job pusher (push)");
    assertThat(snapshots("sink/laptop/src/a/b")).isEqualTo(snapshots("src/a/b")).hasSize(1);

    zfs.write(DatasetPath.of("src/a/b"), "f", new byte[7000]);
    zfs.snapshot(List.of(DatasetPath.of("src/a/b")), "manual_2");
    Cli second = run("run", "--once", "pusher");
    assertThat(second.code()).as(second.err()).isEqualTo(0);
    assertThat(snapshots("sink/laptop/src/a/b")).isEqualTo(snapshots("src/a/b")).hasSize(2);
  }

  @Test
  void pullReplicatesWhatTheSourceServesIntoRootFs() {
    zfs.snapshot(List.of(DatasetPath.of("src/a")), "s1");
    zfs.snapshot(List.of(DatasetPath.of("src/a/b")), "s1");
    serve(
        SourceEndpoints.of(
            job("source", Job.Source.class), zfs, new SessionCursors(), clock, Sleeper.system()));

    Cli first = run("run", "--once", "puller");
    assertThat(first.code()).as(first.err()).isEqualTo(0);
    assertThat(first.out()).contains("job puller (pull)");
    assertThat(snapshots("pulled/src/a")).containsExactly("s1");
    assertThat(zfs.listDatasets(List.of(), java.util.Set.of()))
        .noneMatch(d -> d.path().toString().equals("pulled/src/a/b"));

    zfs.snapshot(List.of(DatasetPath.of("src/a")), "s2");
    Cli second = run("run", "--once", "puller");
    assertThat(second.code()).as(second.err()).isEqualTo(0);
    assertThat(snapshots("pulled/src/a")).containsExactly("s1", "s2");
  }

  @Test
  void aSinkOrSourceJobIsNotRunByRunOnce() {
    Cli r = run("run", "--once", "sink");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("'sink' is a sink job, which only serves");
  }
}
