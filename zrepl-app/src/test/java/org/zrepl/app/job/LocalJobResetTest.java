package org.zrepl.app.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.zrepl.app.config.Job;
import org.zrepl.app.replication.FilesystemResult;
import org.zrepl.app.testing.ManualClock;
import org.zrepl.app.testing.ManualScheduler;
import org.zrepl.app.testing.RecordingCommandRunner;
import org.zrepl.app.testing.TestConfigs;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.endpoint.Guarantee;
import org.zrepl.port.endpoint.SendCompletedRequest;
import org.zrepl.port.endpoint.SendStepRequest;
import org.zrepl.port.endpoint.SendStepResponse;
import org.zrepl.port.endpoint.Sender;
import org.zrepl.port.endpoint.SenderFilesystem;
import org.zrepl.port.zfs.ZfsCapabilities;
import org.zrepl.zfs.fake.InMemoryZfs;

/** {@code zrepl signal reset} on a local job: the invocation is aborted, pruning skipped. */
class LocalJobResetTest {

  private static final DatasetPath A = DatasetPath.of("src/a");
  private static final DatasetPath A_DST = DatasetPath.of("dst/a");

  private static final String YAML =
      """
      jobs:
      - name: mirror
        type: local
        mapping: { "src/a": "dst/a" }
        snapshotting: { type: periodic, prefix: zrepl_, interval: 1h }
        pruning:
          keep_sender: [ { type: last_n, count: 1 } ]
          keep_receiver: [ { type: last_n, count: 1 } ]
      """;

  private final ManualClock clock = new ManualClock(Instant.parse("2026-03-01T00:00:00Z"));
  private final InMemoryZfs zfs = new InMemoryZfs(ZfsCapabilities.openZfs21(), clock, 5);
  private final AtomicReference<ReplicationJob> job = new AtomicReference<>();
  private final AtomicReference<Boolean> resetAnswer = new AtomicReference<>();

  LocalJobResetTest() {
    zfs.createPool("src");
    zfs.createPool("dst");
    zfs.createFilesystem(A, Map.of(), false);
    zfs.write(A, "f", "a".repeat(400_000).getBytes(StandardCharsets.UTF_8));
  }

  private ReplicationJob job(boolean resetDuringSend) {
    Job.Local config = (Job.Local) TestConfigs.job(YAML, "mirror");
    ReplicationJob j =
        LocalJob.of(
            config,
            zfs,
            new RecordingCommandRunner(),
            clock,
            new ManualScheduler(clock),
            clock::advance,
            Runnable::run,
            s -> resetDuringSend ? new ResettingSender(s) : s);
    job.set(j);
    return j;
  }

  private List<String> snapshots(DatasetPath fs) {
    return zfs.listVersions(fs).stream()
        .filter(FilesystemVersion::isSnapshot)
        .map(FilesystemVersion::name)
        .toList();
  }

  @Test
  void resetWithNothingRunningIsRefused() {
    assertThat(job(false).reset()).isFalse();
  }

  @Test
  void resetDuringTheStreamAbortsTheInvocationSkipsPruningAndTheNextRunFinishes() {
    zfs.snapshot(List.of(A), "old");
    ReplicationJobState s = job(true).runOnce(true);

    assertThat(resetAnswer.get()).as("reset() while streaming").isTrue();
    FilesystemResult r = s.lastReplication().orElseThrow().result(A).orElseThrow();
    assertThat(r.describe()).contains("aborted: reset by the operator (zrepl signal reset)");
    assertThat(s.errors())
        .anySatisfy(e -> assertThat(e).startsWith("invocation aborted, pruning skipped"));
    assertThat(s.senderPrune()).as("pruning skipped").isEmpty();
    assertThat(snapshots(A)).as("keep_sender last_n 1 did not run").hasSize(2);
    assertThat(s.replicating()).isFalse();
    assertThat(job.get().reset()).as("nothing to reset after the run").isFalse();

    ReplicationJobState next = job(false).runOnce();

    assertThat(next.errors()).isEmpty();
    assertThat(snapshots(A_DST)).hasSize(1).isEqualTo(snapshots(A));
    assertThat(zfs.read(A_DST, "f").orElseThrow()).hasSize(400_000);
  }

  /** Calls {@code job.reset()} after the first bytes of each stream were read. */
  private final class ResettingSender implements Sender {
    private final Sender d;

    ResettingSender(Sender d) {
      this.d = d;
    }

    @Override
    public Set<Guarantee> guarantees() {
      return d.guarantees();
    }

    @Override
    public List<SenderFilesystem> listFilesystems() {
      return d.listFilesystems();
    }

    @Override
    public Map<DatasetPath, List<FilesystemVersion>> listVersions(
        Collection<DatasetPath> filesystems) {
      return d.listVersions(filesystems);
    }

    @Override
    public SendStepResponse send(SendStepRequest request) {
      SendStepResponse r = d.send(request);
      InputStream resetting =
          new FilterInputStream(r.stream()) {
            private long read;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
              int n = super.read(b, off, len);
              read += Math.max(n, 0);
              if (read > 200_000 && resetAnswer.get() == null) {
                resetAnswer.set(job.get().reset());
              }
              return n;
            }
          };
      return r.withStream(resetting);
    }

    @Override
    public OptionalLong estimateSize(SendStepRequest request) {
      return d.estimateSize(request);
    }

    @Override
    public void sendCompleted(SendCompletedRequest request) {
      d.sendCompleted(request);
    }

    @Override
    public void destroySnapshots(DatasetPath filesystem, List<FilesystemVersion> snapshots) {
      d.destroySnapshots(filesystem, snapshots);
    }
  }
}
