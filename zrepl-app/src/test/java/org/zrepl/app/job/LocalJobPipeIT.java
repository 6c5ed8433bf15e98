package org.zrepl.app.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.zrepl.app.config.Job;
import org.zrepl.app.replication.FilesystemResult;
import org.zrepl.app.testing.ManualClock;
import org.zrepl.app.testing.ManualScheduler;
import org.zrepl.app.testing.TestConfigs;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.zfs.Zfs;
import org.zrepl.zfs.ZfsFixture;
import org.zrepl.zfs.ZfsFusePoolFixture;
import org.zrepl.zfs.cli.CliZfs;
import org.zrepl.zfs.cli.LaunchedProcess;
import org.zrepl.zfs.cli.LocalProcessLauncher;
import org.zrepl.zfs.cli.ProcessLauncher;
import org.zrepl.zfs.process.LocalCommandRunner;

/**
 * A local job moves its streams by a kernel pipe from {@code zfs send} into {@code zfs recv}
 * (zfs-fuse, a pool of its own): 200 MiB full and an incremental arrive with the sender's guids,
 * each step is started as one pipeline, and the bytes replicated are the stream's length as {@code
 * zfs recv -v} reports it.
 */
class LocalJobPipeIT {

  @RegisterExtension static final ZfsFusePoolFixture POOL = new ZfsFusePoolFixture(1L << 30);

  /** Counts the pipelines it starts. */
  private static final class PipeCountingLauncher implements ProcessLauncher {
    private final ProcessLauncher local = new LocalProcessLauncher();
    final AtomicInteger pipelines = new AtomicInteger();

    @Override
    public LaunchedProcess start(List<String> argv) throws IOException {
      return local.start(argv);
    }

    @Override
    public Optional<Pipeline> startPiped(List<String> first, List<String> second)
        throws IOException {
      pipelines.incrementAndGet();
      return local.startPiped(first, second);
    }
  }

  private final PipeCountingLauncher launcher = new PipeCountingLauncher();
  private final Zfs zfs = new CliZfs(launcher);
  private final ManualClock clock =
      new ManualClock(Clock.systemUTC().instant().truncatedTo(ChronoUnit.SECONDS));
  private ZfsFixture fx;
  private DatasetPath src;
  private DatasetPath dst;

  @BeforeEach
  void roots() {
    fx = POOL.fixture(zfs);
    src = fx.newRoot();
    dst = fx.newReceiveRoot();
    zfs.setProperty(dst, "atime", "off");
  }

  private ReplicationJob job() {
    String yaml =
        """
        jobs:
        - name: it_pipe
          type: local
          mapping: { "%1$s/big": "%2$s/big" }
          snapshotting: { type: manual }
          pruning:
            keep_sender: [ { type: regex, regex: ".*" } ]
            keep_receiver: [ { type: regex, regex: ".*" } ]
        """
            .formatted(src, dst);
    return LocalJob.of(
        (Job.Local) TestConfigs.job(yaml, "it_pipe"),
        zfs,
        new LocalCommandRunner(),
        clock,
        new ManualScheduler(clock),
        clock::advance,
        Runnable::run,
        UnaryOperator.identity());
  }

  private void writeMiB(DatasetPath fs, String prefix, int mib, Random random) {
    byte[] chunk = new byte[1 << 20];
    for (int i = 0; i < mib; i++) {
      random.nextBytes(chunk);
      fx.write(fs, prefix + i, chunk);
    }
  }

  /** name@guid of each snapshot, oldest first. */
  private List<String> snapshots(DatasetPath fs) {
    return zfs.listVersions(fs).stream()
        .filter(FilesystemVersion::isSnapshot)
        .map(v -> v.name() + "@" + v.guidString())
        .toList();
  }

  private static long bytes(ReplicationJobState s, DatasetPath fs) {
    return ((FilesystemResult.Ok) s.lastReplication().orElseThrow().result(fs).orElseThrow())
        .bytes();
  }

  @Test
  void fullAndIncrementalStepsGoThroughAKernelPipeWithGuidsEqualAndBytesReported() {
    DatasetPath big = src.child("big");
    zfs.createFilesystem(big, Map.of(), false);
    Random random = new Random(13);
    writeMiB(big, "f", 200, random);
    zfs.snapshot(List.of(big), "s1");
    ReplicationJob job = job();

    ReplicationJobState first = job.runOnce();

    assertThat(first.errors()).isEmpty();
    assertThat(first.succeeded()).isTrue();
    assertThat(launcher.pipelines.get()).as("the full step was one pipeline").isEqualTo(1);
    assertThat(snapshots(dst.child("big"))).isEqualTo(snapshots(big)).hasSize(1);
    long full = bytes(first, big);
    // zfs recv -v prints the length to three significant digits ("201MB")
    assertThat(full).isBetween(199L << 20, 203L << 20);

    writeMiB(big, "g", 5, random);
    zfs.snapshot(List.of(big), "s2");
    ReplicationJobState second = job.runOnce();

    assertThat(second.errors()).isEmpty();
    assertThat(launcher.pipelines.get()).as("the incremental too").isEqualTo(2);
    assertThat(snapshots(dst.child("big"))).isEqualTo(snapshots(big)).hasSize(2);
    assertThat(bytes(second, big)).isBetween(5L << 20, 6L << 20);
    assertThat(fx.read(dst.child("big"), "g4")).isEqualTo(fx.read(big, "g4"));
  }
}
