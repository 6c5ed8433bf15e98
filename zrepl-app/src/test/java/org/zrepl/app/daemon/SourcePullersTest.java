package org.zrepl.app.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
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
import org.zrepl.port.zfs.ZfsCapabilities;
import org.zrepl.zfs.fake.InMemoryZfs;

/**
 * A source job's per-puller lag: what each client identity replicated, from the session cursors,
 * and after a restart from each puller's persistent cursor (bookmarks on OpenZFS, {@code
 * zrepl:cursors} on zfs-fuse) before the puller calls again.
 */
class SourcePullersTest {

  private static final DatasetPath A = DatasetPath.of("src/a");
  private static final DatasetPath B = DatasetPath.of("src/b");

  private InMemoryZfs zfs = zfsOf(ZfsCapabilities.openZfs21());
  private SessionCursors session = new SessionCursors();
  private SourceEndpoints endpoints;
  private Job.Source job;

  private static InMemoryZfs zfsOf(ZfsCapabilities c) {
    return new InMemoryZfs(
        c, Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC), 5);
  }

  /** A new daemon: the session is empty; the persistent cursors are read as at start. */
  private List<JobStatus.Puller> afterRestart() {
    session = new SessionCursors();
    endpoints = SourceEndpoints.of(job, zfs, session, Clock.systemUTC(), Sleeper.system());
    return SourceJobRuntime.pullers(
        session, PullerCursors.read(zfs, "laptop", job.filesystems().filter()));
  }

  private void setUp() {
    zfs.createPool("src");
    zfs.createFilesystem(A, Map.of(), false);
    zfs.createFilesystem(B, Map.of(), false);
    zfs.snapshot(List.of(A, B), "s1");
    zfs.snapshot(List.of(A, B), "s2");
    job =
        (Job.Source)
            TestConfigs.job(
                """
                jobs:
                - name: laptop
                  type: source
                  serve: { type: local, listener_name: laptop }
                  filesystems: { "src<": true }
                  snapshotting: { type: manual }
                  pruning: { keep: [] }
                """,
                "laptop");
    endpoints = SourceEndpoints.of(job, zfs, session, Clock.systemUTC(), Sleeper.system());
  }

  private FilesystemVersion v(DatasetPath fs, String name) {
    return zfs.listVersions(fs).stream()
        .filter(x -> x.isSnapshot() && x.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private void replicate(String client, DatasetPath fs, Step step, boolean completed)
      throws IOException {
    Sender sender = endpoints.sender(new ClientIdentity(client)).orElseThrow();
    try (var s = sender.send(SendStepRequest.of(fs, step)).stream()) {
      s.transferTo(OutputStream.nullOutputStream());
    }
    sender.sendCompleted(new SendCompletedRequest(fs, step, completed));
  }

  @Test
  void eachPullerHasItsNewestReplicatedSnapshotPerFilesystem() throws IOException {
    setUp();
    replicate("alpha", A, Step.full(v(A, "s1")), true);
    replicate("alpha", A, Step.incremental(v(A, "s1"), v(A, "s2")), true);
    replicate("beta", A, Step.full(v(A, "s1")), true);
    replicate("beta", B, Step.full(v(B, "s2")), true);
    // a step the puller did not report replicated moves nothing
    replicate("beta", A, Step.incremental(v(A, "s1"), v(A, "s2")), false);

    List<JobStatus.Puller> pullers = SourceJobRuntime.pullers(session);

    String at = v(A, "s1").creation().toString();
    assertThat(pullers)
        .containsExactly(
            new JobStatus.Puller("alpha", "src/a", "s2", v(A, "s2").creation().toString()),
            new JobStatus.Puller("beta", "src/a", "s1", at),
            new JobStatus.Puller("beta", "src/b", "s2", v(B, "s2").creation().toString()));
  }

  @Test
  void noPullerYetIsAnEmptyList() {
    setUp();

    assertThat(SourceJobRuntime.pullers(session)).isEmpty();
  }

  @Test
  void afterARestartEachPullersLagComesFromItsCursorBookmarkBeforeItCallsAgain()
      throws IOException {
    setUp();
    replicate("alpha", A, Step.full(v(A, "s1")), true);
    replicate("alpha", A, Step.incremental(v(A, "s1"), v(A, "s2")), true);
    replicate("beta", A, Step.full(v(A, "s1")), true);
    String s1 = v(A, "s1").creation().toString();
    String s2 = v(A, "s2").creation().toString();

    assertThat(afterRestart())
        .containsExactly(
            new JobStatus.Puller("alpha", "src/a", "s2", s2),
            new JobStatus.Puller("beta", "src/a", "s1", s1));

    // beta's base snapshot destroyed: its cursor bookmark still dates its lag
    zfs.destroySnapshots(A, List.of("s1"));
    assertThat(afterRestart())
        .extracting(JobStatus.Puller::client, JobStatus.Puller::createdAt)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("alpha", s2),
            org.assertj.core.groups.Tuple.tuple("beta", s1));
  }

  @Test
  void afterARestartOnZfsFuseEachPullersLagComesFromTheRecordedCursors() throws IOException {
    zfs = zfsOf(ZfsCapabilities.zfsFuse());
    setUp();
    replicate("alpha", A, Step.full(v(A, "s1")), true);
    replicate("alpha", A, Step.incremental(v(A, "s1"), v(A, "s2")), true);
    replicate("beta", B, Step.full(v(B, "s1")), true);
    assertThat(zfs.getProperties("src/a", java.util.Set.of("zrepl:cursors")))
        .as("the cursor is recorded on the filesystem")
        .containsKey("zrepl:cursors");

    assertThat(afterRestart())
        .containsExactly(
            new JobStatus.Puller("alpha", "src/a", "s2", v(A, "s2").creation().toString()),
            new JobStatus.Puller("beta", "src/b", "s1", v(B, "s1").creation().toString()));
  }

  @Test
  void aPullerThatReplicatesAfterTheRestartShowsItsNewerSnapshotOnce() throws IOException {
    setUp();
    replicate("alpha", A, Step.full(v(A, "s1")), true);
    afterRestart();
    replicate("alpha", A, Step.incremental(v(A, "s1"), v(A, "s2")), true);

    assertThat(
            SourceJobRuntime.pullers(
                session, PullerCursors.read(zfs, "laptop", job.filesystems().filter())))
        .containsExactly(
            new JobStatus.Puller("alpha", "src/a", "s2", v(A, "s2").creation().toString()));
  }

  @Test
  void theSessionNeverHidesANewerPersistentCursor() throws IOException {
    setUp();
    replicate("alpha", A, Step.full(v(A, "s1")), true);
    FilesystemVersion s2 = v(A, "s2");

    assertThat(SourceJobRuntime.pullers(session, Map.of(A, Map.of("alpha", s2))))
        .containsExactly(new JobStatus.Puller("alpha", "src/a", "s2", s2.creation().toString()));
  }
}
