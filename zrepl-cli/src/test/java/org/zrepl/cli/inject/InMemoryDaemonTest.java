package org.zrepl.cli.inject;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.zrepl.app.config.Config;
import org.zrepl.app.config.ConfigLoader;
import org.zrepl.app.config.LoadResult;
import org.zrepl.app.daemon.ControlService;
import org.zrepl.app.daemon.Daemon;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.process.CommandRunner;
import org.zrepl.port.transport.control.ControlRequest;
import org.zrepl.port.transport.control.ControlResponse;
import org.zrepl.port.zfs.DatasetNotFoundException;
import org.zrepl.port.zfs.ZfsCapabilities;
import org.zrepl.zfs.fake.InMemoryZfs;

/**
 * The whole wiring without root: the daemon built from the test module set (in-memory ZFS, the
 * in-process wire, everything else as in production) runs a push job into a sink and a pull job
 * from a source, through the real job, endpoint, RPC and pruning code.
 */
class InMemoryDaemonTest {

  private static final String YAML =
      """
      jobs:
      - name: sink
        type: sink
        root_fs: sink
        serve: { type: local, listener_name: sink }
        recv: { placeholder: { encryption: inherit } }
      - name: pusher
        type: push
        connect: { type: local, listener_name: sink, client_identity: laptop }
        filesystems: { "src/a": true }
        snapshotting: { type: cron, prefix: zrepl_, cron: "0 0 1 1 *" }
        pruning:
          keep_sender: [ { type: last_n, count: 1 } ]
          keep_receiver: [ { type: last_n, count: 2 } ]
      - name: source
        type: source
        serve: { type: local, listener_name: source }
        filesystems: { "src/b": true }
        snapshotting: { type: manual }
      - name: puller
        type: pull
        connect: { type: local, listener_name: source, client_identity: backups }
        root_fs: pulled
        recv: { placeholder: { encryption: inherit } }
        interval: manual
        pruning:
          keep_sender: [ { type: last_n, count: 1 } ]
          keep_receiver: [ { type: last_n, count: 2 } ]
      """;

  private static final DatasetPath A = DatasetPath.of("src/a");
  private static final DatasetPath B = DatasetPath.of("src/b");

  private final SteppedClock clock = new SteppedClock(Instant.parse("2026-06-01T10:00:00Z"));
  private final InMemoryZfs zfs = new InMemoryZfs(ZfsCapabilities.openZfs21(), clock, 7);
  private final CommandRunner noHooks =
      request -> {
        throw new AssertionError("no hooks configured, yet ran " + request);
      };
  private final Wiring wiring = Wiring.of(InMemoryModules.of(zfs, clock, noHooks));
  private final Daemon daemon = new Daemon(wiring.jobBuilders(), java.time.Clock.systemUTC());
  private final ControlService control =
      new ControlService(daemon, "test", clock.instant(), Optional.empty());

  InMemoryDaemonTest() {
    for (String pool : List.of("src", "sink", "pulled")) {
      zfs.createPool(pool);
    }
    zfs.createFilesystem(A, Map.of(), false);
    zfs.createFilesystem(B, Map.of(), false);
    daemon.start(config());
  }

  @AfterEach
  void stop() {
    daemon.stop();
  }

  @Test
  void pushSnapshotsReplicatesToTheSinkAndPrunesBothSides() {
    for (int round = 0; round < 3; round++) {
      clock.advance(Duration.ofMinutes(10));
      ControlResponse r = control.handle(ControlRequest.of("signal", "snapshot", "pusher"));
      assertThat(r.ok()).as(r.error()).isTrue();
    }
    List<FilesystemVersion> sent = snapshots(A);
    List<FilesystemVersion> received = snapshots(DatasetPath.of("sink/laptop/src/a"));
    assertThat(names(sent)).containsExactly("zrepl_20260601_103000_000");
    assertThat(names(received))
        .containsExactly("zrepl_20260601_102000_000", "zrepl_20260601_103000_000");
    assertThat(received.get(1).guid()).isEqualTo(sent.get(0).guid());
  }

  @Test
  void pullReplicatesFromTheSourceAndPrunesBothSides() throws Exception {
    DatasetPath pulled = DatasetPath.of("pulled/src/b");
    zfs.snapshot(List.of(B), "s1");
    wakeup("puller");
    // the first replication is full, of the newest snapshot (zrepl's initial_replication)
    awaitOrFail(() -> names(snapshots(pulled)).equals(List.of("s1")) && idle("puller"));
    zfs.snapshot(List.of(B), "s2");
    zfs.snapshot(List.of(B), "s3");
    Map<String, Long> guids =
        snapshots(B).stream()
            .collect(
                java.util.stream.Collectors.toMap(
                    FilesystemVersion::name, FilesystemVersion::guid));
    wakeup("puller");
    awaitOrFail(
        () ->
            names(snapshots(B)).equals(List.of("s3"))
                && names(snapshots(pulled)).equals(List.of("s2", "s3")));
    assertThat(snapshots(pulled))
        .extracting(FilesystemVersion::guid)
        .containsExactly(guids.get("s2"), guids.get("s3"));
  }

  private void wakeup(String job) {
    ControlResponse r = control.handle(ControlRequest.of("signal", "wakeup", job));
    assertThat(r.ok()).as(r.error()).isTrue();
  }

  private boolean idle(String job) {
    return daemon.job(job).orElseThrow().status().state().equals("idle");
  }

  private Config config() {
    LoadResult r = ConfigLoader.parse("zrepl.yml", YAML, Path.of("/tmp"));
    if (r instanceof LoadResult.Invalid i) {
      throw new AssertionError(i.render());
    }
    return ((LoadResult.Valid) r).config();
  }

  /** The snapshots of {@code fs}, oldest first; none while it does not exist yet. */
  private List<FilesystemVersion> snapshots(DatasetPath fs) {
    Map<DatasetPath, List<FilesystemVersion>> versions;
    try {
      versions = zfs.listVersions(List.of(fs));
    } catch (DatasetNotFoundException notYet) {
      return List.of();
    }
    return versions.getOrDefault(fs, List.of()).stream()
        .filter(v -> v.kind() == FilesystemVersion.Kind.SNAPSHOT)
        .sorted(java.util.Comparator.comparingLong(FilesystemVersion::createTxg))
        .toList();
  }

  private static List<String> names(List<FilesystemVersion> versions) {
    return versions.stream().map(FilesystemVersion::name).toList();
  }

  /** The pull runs on the job's thread: waits (bounded) for the state the test then asserts. */
  private void awaitOrFail(BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!done.getAsBoolean()) {
      assertThat(System.nanoTime())
          .as("pull did not finish; status: %s", daemon.statuses())
          .isLessThan(deadline);
      TimeUnit.MILLISECONDS.sleep(10);
    }
  }

  /** A clock the test moves; the daemon's jobs read it through the injector. */
  private static final class SteppedClock extends Clock {
    private volatile Instant now;

    SteppedClock(Instant start) {
      this.now = start;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException("fixed to UTC");
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
