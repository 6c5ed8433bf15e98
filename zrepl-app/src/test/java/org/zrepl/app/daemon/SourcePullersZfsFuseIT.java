package org.zrepl.app.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.zrepl.app.config.Job;
import org.zrepl.app.endpoint.PullerCursors;
import org.zrepl.app.endpoint.SessionCursors;
import org.zrepl.app.remote.SourceEndpoints;
import org.zrepl.app.replication.Sleeper;
import org.zrepl.app.testing.TestConfigs;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.replication.Step;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.endpoint.SendCompletedRequest;
import org.zrepl.port.endpoint.SendStepRequest;
import org.zrepl.port.endpoint.Sender;
import org.zrepl.port.transport.ClientIdentity;
import org.zrepl.port.zfs.Zfs;
import org.zrepl.zfs.ZfsFixture;
import org.zrepl.zfs.ZfsFusePoolFixture;
import org.zrepl.zfs.cli.CliZfs;
import org.zrepl.zfs.cli.LocalProcessLauncher;

/**
 * Per-puller lag after a restart on zfs-fuse (no bookmarks): two pullers of a source replicate, the
 * daemon "restarts" (a new session), and each puller's lag is read from the {@code zrepl:cursors}
 * entries on the real filesystem before it calls again.
 */
class SourcePullersZfsFuseIT {

  @RegisterExtension static final ZfsFusePoolFixture POOL = new ZfsFusePoolFixture();

  private final Zfs zfs = new CliZfs(new LocalProcessLauncher());
  private DatasetPath src;
  private Job.Source job;

  @BeforeEach
  void source() {
    ZfsFixture fx = POOL.fixture(zfs);
    src = fx.newRoot();
    fx.write(src, "f1", new byte[] {1});
    zfs.snapshot(List.of(src), "s1");
    fx.write(src, "f2", new byte[] {2});
    zfs.snapshot(List.of(src), "s2");
    job =
        (Job.Source)
            TestConfigs.job(
                """
                jobs:
                - name: laptop
                  type: source
                  serve: { type: local, listener_name: laptop }
                  filesystems: { "%s<": true }
                  snapshotting: { type: manual }
                  pruning: { keep: [] }
                """
                    .formatted(src),
                "laptop");
  }

  private FilesystemVersion v(String name) {
    return zfs.listVersions(src).stream()
        .filter(x -> x.isSnapshot() && x.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private void replicate(SourceEndpoints endpoints, String client, Step step) throws IOException {
    Sender sender = endpoints.sender(new ClientIdentity(client)).orElseThrow();
    try (var s = sender.send(SendStepRequest.of(src, step)).stream()) {
      s.transferTo(OutputStream.nullOutputStream());
    }
    sender.sendCompleted(new SendCompletedRequest(src, step, true));
  }

  @Test
  void eachPullersLagIsKnownFromTheRecordedCursorsAfterARestart() throws IOException {
    SourceEndpoints before =
        SourceEndpoints.of(job, zfs, new SessionCursors(), Clock.systemUTC(), Sleeper.system());
    replicate(before, "alpha", Step.full(v("s1")));
    replicate(before, "alpha", Step.incremental(v("s1"), v("s2")));
    replicate(before, "beta", Step.full(v("s1")));
    assertThat(zfs.getProperties(src.toString(), Set.of("zrepl:cursors")).get("zrepl:cursors"))
        .as("recorded on the filesystem")
        .isNotNull();

    List<JobStatus.Puller> pullers =
        SourceJobRuntime.pullers(
            new SessionCursors(), PullerCursors.read(zfs, "laptop", job.filesystems().filter()));

    assertThat(pullers)
        .containsExactly(
            new JobStatus.Puller("alpha", src.toString(), "s2", v("s2").creation().toString()),
            new JobStatus.Puller("beta", src.toString(), "s1", v("s1").creation().toString()));
  }
}
