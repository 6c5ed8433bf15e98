package org.zrepl.app.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.zrepl.app.config.Job;
import org.zrepl.app.endpoint.EndpointNames;
import org.zrepl.app.endpoint.SessionCursors;
import org.zrepl.app.endpoint.TargetCursors;
import org.zrepl.app.prune.PruneReport;
import org.zrepl.app.prune.SourcePruning;
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
 * One {@code source} served to two pullers: each client identity has its own replication cursor
 * ({@code _J_<job>_C_<client>}), and the source's pruning keeps what the puller that fell behind
 * needs, also after a restart.
 */
class SourceFanOutTest {

  private static final DatasetPath A = DatasetPath.of("src/a");

  private static String yaml(String targets) {
    return """
        jobs:
        - name: laptop
          type: source
          serve: { type: local, listener_name: laptop }
          filesystems: { "src/a": true }
          snapshotting: { type: manual }
          pruning:
            keep:
            - { type: not_replicated, targets: %s }
        """
        .formatted(targets);
  }

  private InMemoryZfs zfs;
  private Job.Source job;
  private SessionCursors session;
  private SourceEndpoints endpoints;

  private void setUp(ZfsCapabilities caps, String targets) {
    zfs =
        new InMemoryZfs(
            caps, Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC), 5);
    zfs.createPool("src");
    zfs.createFilesystem(A, Map.of(), false);
    for (String s : List.of("s1", "s2", "s3", "s4")) {
      zfs.snapshot(List.of(A), s);
    }
    job = (Job.Source) TestConfigs.job(yaml(targets), "laptop");
    session = new SessionCursors();
    endpoints = SourceEndpoints.of(job, zfs, session, Clock.systemUTC(), Sleeper.system());
  }

  private FilesystemVersion v(String name) {
    return zfs.listVersions(A).stream()
        .filter(x -> x.isSnapshot() && x.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private void replicate(String client, Step step) {
    Sender sender = endpoints.sender(new ClientIdentity(client)).orElseThrow();
    try (var s = sender.send(SendStepRequest.of(A, step)).stream()) {
      s.transferTo(java.io.OutputStream.nullOutputStream());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    sender.sendCompleted(new SendCompletedRequest(A, step, true));
  }

  /** alpha is at s3, beta at s1. */
  private void twoPullers() {
    replicate("alpha", Step.full(v("s1")));
    replicate("beta", Step.full(v("s1")));
    replicate("alpha", Step.incremental(v("s1"), v("s3")));
  }

  private List<String> snapshots() {
    return zfs.listVersions(A).stream()
        .filter(FilesystemVersion::isSnapshot)
        .map(FilesystemVersion::name)
        .toList();
  }

  private PruneReport pruneAfterRestart() {
    return SourcePruning.of(job, zfs, new SessionCursors()).execute();
  }

  @Test
  void eachPullerHasItsOwnCursorBookmark() {
    setUp(ZfsCapabilities.openZfs21(), "this_job");

    twoPullers();

    assertThat(zfs.listVersions(A))
        .filteredOn(FilesystemVersion::isBookmark)
        .extracting(FilesystemVersion::name)
        .containsExactlyInAnyOrder(
            EndpointNames.forSourceClient("laptop", "alpha").cursorBookmark(v("s3").guid()),
            EndpointNames.forSourceClient("laptop", "beta").cursorBookmark(v("s1").guid()));
    assertThat(EndpointNames.forSourceClient("laptop", "beta").job()).isEqualTo("laptop_C_beta");
  }

  @Test
  void onOpenZfsThePullerBehindContinuesFromItsBookmarkAfterThisJobsPruning() {
    setUp(ZfsCapabilities.openZfs21(), "this_job");
    twoPullers();

    pruneAfterRestart();

    assertThat(snapshots()).as("newest cursor (alpha's) is s3").containsExactly("s3", "s4");
    FilesystemVersion betaCursor =
        zfs.listVersions(A).stream()
            .filter(x -> x.isBookmark() && x.name().endsWith("_J_laptop_C_beta"))
            .findFirst()
            .orElseThrow();
    replicate("beta", Step.incremental(betaCursor, v("s4")));
    assertThat(zfs.listVersions(A))
        .filteredOn(FilesystemVersion::isBookmark)
        .extracting(FilesystemVersion::name)
        .contains(EndpointNames.forSourceClient("laptop", "beta").cursorBookmark(v("s4").guid()));
  }

  @Test
  void onOpenZfsTheRunningSourcePrunesThePullerBehindsBaseItsBookmarkStandsInFor() {
    setUp(ZfsCapabilities.openZfs21(), "this_job");
    twoPullers();
    long s1 = v("s1").guid();

    SourcePruning.of(job, zfs, session).execute();

    assertThat(snapshots()).as("beta continues from its bookmark").containsExactly("s3", "s4");
    assertThat(zfs.listVersions(A))
        .filteredOn(FilesystemVersion::isBookmark)
        .extracting(FilesystemVersion::name)
        .contains(EndpointNames.forSourceClient("laptop", "beta").cursorBookmark(s1));
  }

  @Test
  void onZfsFuseTheRunningSourceKeepsThePullerBehindsBase() {
    setUp(ZfsCapabilities.zfsFuse(), "this_job");
    twoPullers();

    SourcePruning.of(job, zfs, session).execute();

    assertThat(snapshots()).containsExactly("s1", "s3", "s4");
  }

  @Test
  void onOpenZfsNotReplicatedToAllTargetsWaitsForThePullerBehind() {
    setUp(ZfsCapabilities.openZfs21(), "all");
    twoPullers();

    pruneAfterRestart();

    assertThat(snapshots()).containsExactly("s1", "s2", "s3", "s4");
  }

  @Test
  void onZfsFuseEachPullersBaseIsRecordedAndKeptAfterARestart() {
    setUp(ZfsCapabilities.zfsFuse(), "this_job");
    twoPullers();

    assertThat(TargetCursors.read(zfs, A))
        .containsOnly(
            Map.entry("laptop_C_alpha", v("s3").guid()),
            Map.entry("laptop_C_beta", v("s1").guid()));
    PruneReport r = pruneAfterRestart();

    assertThat(r.complete()).isTrue();
    assertThat(snapshots()).as("beta's base s1 stays").containsExactly("s1", "s3", "s4");
    replicate("beta", Step.incremental(v("s1"), v("s4")));
    pruneAfterRestart();
    assertThat(snapshots()).containsExactly("s3", "s4");
  }

  @Test
  void aPruningOverTheSenderPortCannotDestroyARecordedBase() {
    setUp(ZfsCapabilities.zfsFuse(), "this_job");
    twoPullers();
    Sender alpha = endpoints.sender(new ClientIdentity("alpha")).orElseThrow();

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> alpha.destroySnapshots(A, List.of(v("s1"), v("s2"))))
        .hasMessageContaining("kept @s1 (the replication cursor of [laptop_C_beta])");
    assertThat(snapshots()).containsExactly("s1", "s3", "s4");
  }
}
