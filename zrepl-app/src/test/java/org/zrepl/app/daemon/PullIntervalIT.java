package org.zrepl.app.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.zrepl.app.config.Job.Pull;
import org.zrepl.app.config.Job.Source;
import org.zrepl.app.remote.Transports;
import org.zrepl.app.testing.RecordingCommandRunner;
import org.zrepl.app.testing.TestConfigs;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.zfs.ZfsCapabilities;
import org.zrepl.zfs.fake.InMemoryZfs;

/**
 * A pull job's {@code interval}: the daemon's pull job replicates at start and then every interval
 * without being woken up; with {@code manual} it replicates only when signalled. Real time (the
 * interval is one second), so an IT.
 */
class PullIntervalIT {

  private static final DatasetPath A = DatasetPath.of("src/a");
  private static final DatasetPath A_PULLED = DatasetPath.of("backups/src/a");

  private final Clock clock = Clock.systemUTC();
  private final Transports transports = org.zrepl.app.TestAdapters.transports(clock);
  private final InMemoryZfs source = new InMemoryZfs(ZfsCapabilities.zfsFuse(), clock, 1);
  private final InMemoryZfs backup = new InMemoryZfs(ZfsCapabilities.zfsFuse(), clock, 2);
  private SourceJobRuntime serving;
  private ActiveJobRuntime pulling;

  private static String yaml(String interval) {
    return """
        jobs:
        - name: laptop
          type: source
          serve: { type: local, listener_name: laptop }
          filesystems: { "src/a": true }
          snapshotting: { type: manual }
        - name: puller
          type: pull
          connect: { type: local, listener_name: laptop, client_identity: backups }
          root_fs: backups
          recv: { placeholder: { encryption: inherit } }
          interval: %s
          pruning:
            keep_sender: [ { type: regex, regex: "." } ]
            keep_receiver: [ { type: regex, regex: "." } ]
        """
        .formatted(interval);
  }

  private void start(String interval) {
    source.createPool("src");
    source.createFilesystem(A, Map.of(), false);
    backup.createPool("backups");
    source.snapshot(List.of(A), "s1");
    String yaml = yaml(interval);
    serving =
        SourceJobRuntime.of(
            (Source) TestConfigs.job(yaml, "laptop"),
            org.zrepl.app.TestAdapters.deps(source, new RecordingCommandRunner(), clock),
            transports);
    serving.start();
    pulling =
        ActiveJobRuntime.pull(
            (Pull) TestConfigs.job(yaml, "puller"),
            new ActiveSides(
                org.zrepl.app.TestAdapters.deps(backup, new RecordingCommandRunner(), clock)),
            transports,
            clock);
    pulling.start();
  }

  @AfterEach
  void stop() {
    if (pulling != null) {
      pulling.stop();
    }
    if (serving != null) {
      serving.stop();
    }
  }

  private List<String> pulled() {
    boolean exists =
        backup.listDatasets(List.of(DatasetPath.of("backups")), java.util.Set.of()).stream()
            .anyMatch(d -> d.path().equals(A_PULLED));
    if (!exists) {
      return List.of();
    }
    return backup.listVersions(A_PULLED).stream()
        .filter(FilesystemVersion::isSnapshot)
        .map(FilesystemVersion::name)
        .toList();
  }

  private static boolean within(Duration limit, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(50);
    }
    return condition.getAsBoolean();
  }

  @Test
  void anIntervalPullsAtStartAndThenEveryIntervalWithoutASignal() throws InterruptedException {
    start("1s");
    assertThat(within(Duration.ofSeconds(10), () -> pulled().equals(List.of("s1"))))
        .as("the first pull, at start")
        .isTrue();

    source.snapshot(List.of(A), "s2");

    assertThat(within(Duration.ofSeconds(10), () -> pulled().equals(List.of("s1", "s2"))))
        .as("a later pull, one interval on, with nobody waking the job")
        .isTrue();
  }

  @Test
  void manualPullsOnlyWhenWokenUp() throws InterruptedException {
    start("manual");
    assertThat(within(Duration.ofSeconds(2), () -> !pulled().isEmpty()))
        .as("nothing pulled without a signal")
        .isFalse();

    pulling.wakeup();

    assertThat(within(Duration.ofSeconds(10), () -> pulled().equals(List.of("s1")))).isTrue();
  }
}
