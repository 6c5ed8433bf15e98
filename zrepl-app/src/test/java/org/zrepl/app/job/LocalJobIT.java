package org.zrepl.app.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.zrepl.app.config.Job;
import org.zrepl.app.endpoint.EndpointNames;
import org.zrepl.app.replication.FilesystemResult;
import org.zrepl.app.replication.TruncatingSender;
import org.zrepl.app.testing.ManualClock;
import org.zrepl.app.testing.ManualScheduler;
import org.zrepl.app.testing.TestConfigs;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.endpoint.Sender;
import org.zrepl.port.zfs.DatasetInfo;
import org.zrepl.port.zfs.Property;
import org.zrepl.port.zfs.Zfs;
import org.zrepl.zfs.ZfsFixture;
import org.zrepl.zfs.ZfsFusePoolFixture;
import org.zrepl.zfs.cli.CliZfs;
import org.zrepl.zfs.cli.LocalProcessLauncher;
import org.zrepl.zfs.process.LocalCommandRunner;

/**
 * The local job end to end on real ZFS (zfs-fuse here, its own file-backed pool): a three-level
 * tree with a gap, incrementals, a diverged receiver, a stream cut at a random offset, and no
 * partial datasets or step holds left behind. A hand-driven clock, started at the real time, names
 * the snapshots and decides when one is due.
 */
class LocalJobIT {

  @RegisterExtension static final ZfsFusePoolFixture POOL = new ZfsFusePoolFixture();

  private final Zfs zfs = new CliZfs(new LocalProcessLauncher());

  /**
   * Starts at the real time: real ZFS stamps snapshots with it, and the schedule judges whether a
   * snapshot is due from their creation times. Then only the test moves it.
   */
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
    // zfs-fuse mounts replicas; reading them must not modify them (see ReplicationIT).
    zfs.setProperty(dst, "atime", "off");
  }

  private ReplicationJob job() {
    return job(UnaryOperator.identity());
  }

  private ReplicationJob job(UnaryOperator<Sender> senderDecorator) {
    String yaml =
        """
        jobs:
        - name: it_local
          type: local
          mapping: { "%1$s<": "%2$s/backup", "%1$s/a/b": "!" }
          recv: { placeholder: { encryption: inherit } }
          snapshotting: { type: periodic, prefix: zrepl_, interval: 1h }
          pruning:
            keep_sender: [ { type: not_replicated }, { type: last_n, count: 2 } ]
            keep_receiver: [ { type: last_n, count: 3 } ]
        """
            .formatted(src, dst);
    return LocalJob.of(
        (Job.Local) TestConfigs.job(yaml, "it_local"),
        zfs,
        new LocalCommandRunner(),
        clock,
        new ManualScheduler(clock),
        clock::advance,
        Runnable::run,
        senderDecorator);
  }

  private DatasetPath fs(String relative) {
    DatasetPath p = src.append(List.of(relative.split("/")));
    zfs.createFilesystem(p, Map.of(), true);
    fx.write(p, "f", relative.getBytes(StandardCharsets.UTF_8));
    return p;
  }

  private DatasetPath target(String relative) {
    return dst.child("backup").append(List.of(relative.split("/")));
  }

  private List<String> names(DatasetPath fs) {
    return zfs.listVersions(fs).stream()
        .filter(FilesystemVersion::isSnapshot)
        .map(FilesystemVersion::name)
        .toList();
  }

  @Test
  void treeWithGapIncrementalsDivergenceAndNothingLeftBehind() {
    DatasetPath a = fs("a");
    DatasetPath b = fs("a/b");
    DatasetPath c = fs("a/b/c");
    ReplicationJob job = job();

    ReplicationJobState first = job.runOnce();
    assertThat(first.errors()).isEmpty();
    assertThat(names(target("a/b/c"))).isEqualTo(names(c)).hasSize(1);
    assertThat(names(target("a"))).isEqualTo(names(a)).hasSize(1);
    assertThat(names(b)).as("omitted by the mapping: not snapshotted").isEmpty();
    assertThat(
            zfs.getProperties(target("a/b").toString(), Set.of("zrepl:placeholder"))
                .get("zrepl:placeholder"))
        .extracting(Property::value)
        .isEqualTo("on");
    assertThat(new String(fx.read(target("a/b/c"), "f"), StandardCharsets.UTF_8))
        .isEqualTo("a/b/c");

    clock.advance(Duration.ofHours(1));
    fx.write(c, "g", "second".getBytes(StandardCharsets.UTF_8));
    ReplicationJobState second = job.runOnce();
    assertThat(second.errors()).isEmpty();
    FilesystemResult.Ok inc =
        (FilesystemResult.Ok) second.lastReplication().orElseThrow().result(c).orElseThrow();
    assertThat(inc.steps()).isEqualTo(1);
    assertThat(inc.plan()).contains("incremental");
    assertThat(new String(fx.read(target("a/b/c"), "g"), StandardCharsets.UTF_8))
        .isEqualTo("second");
    assertThat(names(target("a/b/c"))).isEqualTo(names(c)).hasSize(2);

    zfs.snapshot(List.of(target("a")), "tampered");
    List<String> receiverBefore = names(target("a"));
    clock.advance(Duration.ofHours(1));
    ReplicationJobState diverged = job.runOnce();
    assertThat(diverged.succeeded()).isFalse();
    assertThat(diverged.failedDatasets()).containsExactly(a);
    assertThat(String.join("\n", diverged.errors()))
        .contains(a + ": conflict: receiver diverged", "tampered");
    assertThat(names(target("a"))).as("nothing destroyed").containsAll(receiverBefore);
    assertThat(names(c)).as("keep_sender: last_n 2 of the replicated ones").hasSize(2);
    assertThat(names(target("a/b/c"))).hasSize(3).containsAll(names(c));

    job.runOnce();
    job.runOnce();
    assertNothingLeftBehind();
  }

  @Test
  void aStreamCutAtARandomOffsetIsFollowedByARunThatCompletes() {
    DatasetPath a = fs("a");
    byte[] data = new byte[4 << 20];
    long seed = System.nanoTime();
    Random random = new Random(seed);
    random.nextBytes(data);
    fx.write(a, "big", data);
    long cutAt = 1L + random.nextInt(data.length - 1);
    List<TruncatingSender> cutter = new ArrayList<>();
    ReplicationJob job =
        job(
            sender -> {
              TruncatingSender t = new TruncatingSender(sender, cutAt);
              cutter.add(t);
              return t;
            });

    ReplicationJobState first = job.runOnce();
    assertThat(cutter.get(0).hasCut()).as("stream cut at byte " + cutAt).isTrue();
    // The engine retries the step within the run; if that fails too, the next run must finish.
    ReplicationJobState done = first.succeeded() ? first : job.runOnce();

    assertThat(done.errors()).as("cut at byte %d (seed %d)", cutAt, seed).isEmpty();
    assertThat(names(target("a"))).isEqualTo(names(a)).hasSize(1);
    assertThat(fx.read(target("a"), "big")).isEqualTo(data);
    assertNothingLeftBehind();
  }

  private void assertNothingLeftBehind() {
    boolean resumable = zfs.capabilities().resumableReceive();
    List<DatasetInfo> all =
        zfs.listDatasets(List.of(dst), resumable ? Set.of("receive_resume_token") : Set.of());
    assertThat(all)
        .extracting(d -> d.path().toString())
        .as("no partial receive left as a hidden dataset")
        .noneMatch(p -> p.contains("%"));
    for (DatasetInfo d : all) {
      Property token = d.properties().get("receive_resume_token");
      assertThat(token == null || token.value().equals("-")).as("resume token on " + d).isTrue();
    }
    if (zfs.capabilities().holds()) {
      for (DatasetPath fs : List.of(src, dst)) {
        for (DatasetInfo d : zfs.listDatasets(List.of(fs), Set.of())) {
          for (String s : names(d.path())) {
            assertThat(zfs.holds(d.path(), s))
                .as("step holds on " + d.path() + "@" + s)
                .doesNotContain(EndpointNames.forJob("it_local").stepHold());
          }
        }
      }
    }
  }
}
