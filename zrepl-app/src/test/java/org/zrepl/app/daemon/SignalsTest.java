package org.zrepl.app.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.zrepl.app.config.Config;
import org.zrepl.app.config.ConfigLoader;
import org.zrepl.app.config.LoadResult;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.port.transport.control.ControlRequest;
import org.zrepl.port.transport.control.ControlResponse;
import org.zrepl.port.zfs.ZfsCapabilities;
import org.zrepl.zfs.fake.InMemoryZfs;
import org.zrepl.zfs.process.LocalCommandRunner;

/**
 * {@code zrepl signal snapshot|wakeup} against every job type of the production daemon: a signal
 * that would do nothing is refused, saying why and what to use instead; one that does something is
 * delivered.
 */
class SignalsTest {

  private static final String YAML =
      """
      jobs:
      - name: snap_manual
        type: snap
        filesystems: { "pool/a": true }
        snapshotting: { type: manual }
        pruning: { keep: [ { type: last_n, count: 5 } ] }
      - name: snap_periodic
        type: snap
        filesystems: { "pool/b": true }
        snapshotting: { type: periodic, prefix: zrepl_, interval: 1h }
        pruning: { keep: [ { type: last_n, count: 5 } ] }
      - name: local_manual
        type: local
        mapping: { "pool/a": "pool/backup/a" }
        snapshotting: { type: manual }
        pruning: { keep_sender: [], keep_receiver: [] }
      - name: sink
        type: sink
        root_fs: pool/sink
        serve: { type: local, listener_name: s }
      - name: push_manual
        type: push
        connect: { type: local, listener_name: s, client_identity: me }
        filesystems: { "pool/a": true }
        snapshotting: { type: manual }
        pruning: { keep_sender: [], keep_receiver: [] }
      - name: source_manual
        type: source
        serve: { type: local, listener_name: src }
        filesystems: { "pool/a": true }
        snapshotting: { type: manual }
      - name: pull
        type: pull
        connect: { type: local, listener_name: src, client_identity: me }
        root_fs: pool/pulled
        interval: manual
        pruning: { keep_sender: [], keep_receiver: [] }
      """;

  private final InMemoryZfs zfs =
      new InMemoryZfs(ZfsCapabilities.openZfs21(), Clock.systemUTC(), 1);
  private final Daemon daemon;
  private final ControlService control;

  SignalsTest() {
    zfs.createPool("pool");
    zfs.createFilesystem(DatasetPath.of("pool/a"), Map.of(), false);
    zfs.createFilesystem(DatasetPath.of("pool/b"), Map.of(), false);
    LoadResult r = ConfigLoader.parse("zrepl.yml", YAML, Path.of("/tmp"));
    if (r instanceof LoadResult.Invalid i) {
      throw new AssertionError(i.render());
    }
    Config config = ((LoadResult.Valid) r).config();
    daemon =
        new Daemon(
            JobBuilders.standard(
                org.zrepl.app.TestAdapters.deps(zfs, new LocalCommandRunner(), Clock.systemUTC())),
            java.time.Clock.systemUTC());
    daemon.start(config);
    control = new ControlService(daemon, "1", Instant.EPOCH, Optional.empty());
  }

  @AfterEach
  void stop() {
    daemon.stop();
  }

  private ControlResponse signal(String signal, String job) {
    return control.handle(ControlRequest.of("signal", signal, job));
  }

  private String refusal(String signal, String job) {
    ControlResponse r = signal(signal, job);
    assertThat(r.ok()).as("%s %s should be refused", signal, job).isFalse();
    return r.error();
  }

  @Test
  void snapshotIsRefusedWhereNoSnapshotWouldBeTaken() {
    assertThat(refusal("snapshot", "snap_manual"))
        .isEqualTo(
            "job 'snap_manual' has manual snapshotting: it takes no snapshots itself (signal"
                + " wakeup prunes it now; for the daemon to take snapshots, configure"
                + " snapshotting type periodic or cron)");
    assertThat(refusal("snapshot", "local_manual"))
        .contains("'local_manual' has manual snapshotting")
        .contains("signal wakeup replicates and prunes now")
        .contains("periodic or cron");
    assertThat(refusal("snapshot", "push_manual"))
        .contains("'push_manual' has manual snapshotting")
        .contains("signal wakeup replicates and prunes now");
    assertThat(refusal("snapshot", "source_manual"))
        .contains("'source_manual' has manual snapshotting")
        .contains("signal wakeup prunes it now");
    assertThat(refusal("snapshot", "pull"))
        .contains("'pull' is a pull job: it takes no snapshots")
        .contains("signal wakeup replicates now");
    assertThat(refusal("snapshot", "sink")).contains("'sink' is a sink job: it serves");
    assertThat(zfs.listVersions(DatasetPath.of("pool/a"))).isEmpty();
  }

  @Test
  void signalsThatDoSomethingAreDelivered() {
    assertThat(signal("snapshot", "snap_periodic").ok()).isTrue();
    for (String job : new String[] {"snap_manual", "local_manual", "push_manual", "pull"}) {
      assertThat(signal("wakeup", job).ok()).as(job).isTrue();
    }
    assertThat(signal("wakeup", "source_manual").ok()).isTrue();
    assertThat(refusal("wakeup", "sink")).contains("the active side replicates");
  }
}
