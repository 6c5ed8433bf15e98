package org.zrepl.app.prune;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.zrepl.app.config.Job;
import org.zrepl.app.endpoint.EndpointNames;
import org.zrepl.app.endpoint.LocalSender;
import org.zrepl.app.endpoint.SessionCursors;
import org.zrepl.app.testing.TestConfigs;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.replication.Step;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.endpoint.SendCompletedRequest;
import org.zrepl.port.endpoint.SendStepRequest;
import org.zrepl.port.endpoint.SendStepResponse;
import org.zrepl.port.endpoint.Sender;
import org.zrepl.port.zfs.ZfsCapabilities;
import org.zrepl.zfs.fake.InMemoryZfs;

/**
 * A source's own pruning never takes what a puller needs: the session's cursor, the snapshots of a
 * running step, the cursor bookmark's snapshot; on a ZFS without bookmarks it prunes nothing until
 * a puller completed a step.
 */
class SourcePruningTest {

  private static final DatasetPath A = DatasetPath.of("src/a");
  private static final DatasetPath OTHER = DatasetPath.of("src/other");

  private static final String YAML =
      """
      jobs:
      - name: laptop
        type: source
        serve: { type: local, listener_name: laptop }
        filesystems: { "src/a": true }
        snapshotting: { type: manual }
        pruning:
          keep:
          - { type: regex, regex: "^keep_" }
      """;

  private final Job.Source job = (Job.Source) TestConfigs.job(YAML, "laptop");
  private final SessionCursors session = new SessionCursors();
  private InMemoryZfs zfs;
  private Sender sender;

  private void setUp(ZfsCapabilities caps) {
    zfs =
        new InMemoryZfs(
            caps, Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC), 5);
    zfs.createPool("src");
    zfs.createFilesystem(A, Map.of(), false);
    zfs.createFilesystem(OTHER, Map.of(), false);
    zfs.snapshot(List.of(OTHER), "o1");
    sender = session.track(new LocalSender(zfs, job.filesystems().filter(), job.name(), Set.of()));
  }

  private void snapshot(String... names) {
    for (String n : names) {
      zfs.snapshot(List.of(A), n);
    }
  }

  private FilesystemVersion v(String name) {
    return zfs.listVersions(A).stream()
        .filter(x -> x.isSnapshot() && x.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private List<String> names() {
    return zfs.listVersions(A).stream()
        .filter(FilesystemVersion::isSnapshot)
        .map(FilesystemVersion::name)
        .toList();
  }

  private void step(Step step, boolean complete) {
    SendStepResponse r = sender.send(SendStepRequest.of(A, step));
    try {
      r.stream().close();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    if (complete) {
      sender.sendCompleted(new SendCompletedRequest(A, step, true));
    }
  }

  private PruneReport prune() {
    return SourcePruning.of(job, zfs, session).execute();
  }

  @Test
  void withoutBookmarksNothingIsPrunedUntilAPullerCompletedAStep() {
    setUp(ZfsCapabilities.zfsFuse());
    snapshot("s1", "s2");

    PruneReport before = prune();
    assertThat(before.filesystems())
        .singleElement()
        .satisfies(f -> assertThat(f.kept()).hasSize(2));
    assertThat(names()).containsExactly("s1", "s2");

    step(Step.full(v("s2")), true);
    snapshot("s3");
    PruneReport r = prune();

    assertThat(r.filesystems()).extracting(FilesystemPruneResult::fs).containsExactly(A);
    assertThat(names())
        .as("the rules keep nothing; s2 was sent last this session")
        .containsExactly("s2");
    assertThat(zfs.listVersions(OTHER)).as("outside the filter").hasSize(1);
  }

  @Test
  void theSnapshotsOfARunningStepAndTheSessionCursorAreKept() {
    setUp(ZfsCapabilities.zfsFuse());
    snapshot("s1");
    step(Step.full(v("s1")), true);
    snapshot("s2", "s3", "s4");
    Step running = Step.incremental(v("s1"), v("s3"));
    step(running, false);

    prune();

    assertThat(names()).containsExactly("s1", "s3");
    sender.sendCompleted(new SendCompletedRequest(A, running, true));
    prune();
    assertThat(names()).as("s3 is the cursor now").containsExactly("s3");
  }

  @Test
  void aStepStartingBetweenPlanAndDestroyKeepsItsSnapshots() {
    setUp(ZfsCapabilities.zfsFuse());
    snapshot("s1");
    step(Step.full(v("s1")), true);
    snapshot("s2", "s3");
    PruneRun run = SourcePruning.of(job, zfs, session);
    PrunePreview preview = run.plan();
    step(Step.incremental(v("s1"), v("s2")), false);

    PruneReport r = new Pruner(run.endpoint()).execute(preview);

    assertThat(names()).containsExactly("s1", "s2");
    assertThat(r.filesystems().get(0).failed())
        .singleElement()
        .satisfies(f -> assertThat(f.error()).contains("a puller's step is using src/a@s2"));
  }

  @Test
  void withBookmarksTheCursorBookmarksSnapshotIsKeptAfterARestart() {
    setUp(ZfsCapabilities.openZfs21());
    snapshot("s1", "s2");
    step(Step.full(v("s2")), true);
    assertThat(zfs.listVersions(A))
        .anyMatch(
            x ->
                x.isBookmark()
                    && x.name().equals(EndpointNames.forJob("laptop").cursorBookmark(x.guid())));
    snapshot("s3");

    PruneReport r = SourcePruning.of(job, zfs, new SessionCursors()).execute();

    assertThat(r.complete()).isTrue();
    assertThat(names())
        .as("a new session knows the cursor from its bookmark")
        .containsExactly("s2");
  }

  @Test
  void aSnapshotCarryingTheStepHoldIsNotDestroyedAndSaysWhy() {
    setUp(ZfsCapabilities.openZfs21());
    snapshot("s1", "s2", "s3");
    String tag = EndpointNames.forJob("laptop").stepHold();
    zfs.hold(A, "s2", tag);

    PruneReport r = prune();

    assertThat(names()).containsExactly("s2");
    assertThat(r.filesystems().get(0).destroyed())
        .extracting(FilesystemVersion::name)
        .containsExactly("s1", "s3");
    assertThat(r.filesystems().get(0).failed())
        .singleElement()
        .satisfies(
            f ->
                assertThat(f.error())
                    .isEqualTo("src/a@s2 carries the step hold " + tag + " of a puller's step"));
  }
}
