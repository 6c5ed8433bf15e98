package org.zrepl.app.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.zrepl.domain.dataset.DatasetFilter;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.replication.Step;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.endpoint.ReceiveStepRequest;
import org.zrepl.port.endpoint.SendCompletedRequest;
import org.zrepl.port.endpoint.SendStepRequest;
import org.zrepl.port.zfs.ZfsCapabilities;
import org.zrepl.zfs.fake.InMemoryZfs;

/** After a confirmed step the endpoints release what their job left behind and no longer needs. */
class OwnStaleAbstractionsTest {

  private static final DatasetPath A = DatasetPath.of("src/a");
  private static final DatasetPath DST = DatasetPath.of("dst/src/a");

  private final InMemoryZfs zfs =
      new InMemoryZfs(
          ZfsCapabilities.openZfs21(),
          Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC),
          5);
  private final LocalSender sender;
  private final LocalReceiver receiver;

  OwnStaleAbstractionsTest() {
    zfs.createPool("src");
    zfs.createPool("dst");
    zfs.createFilesystem(A, Map.of(), false);
    for (String s : List.of("s1", "s2", "s3", "s4")) {
      zfs.snapshot(List.of(A), s);
    }
    sender = new LocalSender(zfs, DatasetFilter.of(Map.of("src/a", "ok")), "j", Set.of());
    receiver =
        new LocalReceiver(zfs, s -> Optional.of(DatasetPath.of("dst").append(s.components())), "j");
  }

  private FilesystemVersion snap(String name) {
    return zfs.listVersions(A).stream()
        .filter(v -> v.isSnapshot() && v.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private void replicate(Step step) throws Exception {
    try (InputStream in = sender.send(SendStepRequest.of(A, step)).stream()) {
      receiver.receive(ReceiveStepRequest.of(A, step), in);
    }
    sender.sendCompleted(new SendCompletedRequest(A, step, true));
  }

  private List<String> bookmarks(DatasetPath fs) {
    return zfs.listVersions(fs).stream()
        .filter(FilesystemVersion::isBookmark)
        .map(FilesystemVersion::name)
        .toList();
  }

  @Test
  void aKilledStepsHoldIsReleasedAfterTheNextConfirmedStep() throws Exception {
    replicate(Step.full(snap("s1")));
    // a step s1 -> s2 killed mid-send: its step holds stay (the daemon died before any cleanup)
    sender.send(SendStepRequest.of(A, Step.incremental(snap("s1"), snap("s2")))).stream().close();
    assertThat(zfs.holds(A, "s2")).containsExactly("zrepl_STEP_J_j");

    replicate(Step.incremental(snap("s1"), snap("s3")));

    assertThat(zfs.holds(A, "s1")).isEmpty();
    assertThat(zfs.holds(A, "s2")).isEmpty();
    assertThat(zfs.holds(A, "s3")).isEmpty();
    assertThat(bookmarks(A))
        .containsExactly(String.format("zrepl_CURSOR_G_%016x_J_j", snap("s3").guid()));
  }

  @Test
  void anotherJobsAbstractionsSurviveTheCleanup() throws Exception {
    replicate(Step.full(snap("s1")));
    String leftover = String.format("zrepl_CURSOR_G_%016x_J_j", snap("s2").guid());
    String otherJob = String.format("zrepl_CURSOR_G_%016x_J_other", snap("s1").guid());
    zfs.bookmark(A, "s2", leftover); // a cursor made by a step that was confirmed, then undone
    zfs.bookmark(A, "s1", otherJob);
    zfs.hold(A, "s1", "zrepl_STEP_J_other");

    replicate(Step.incremental(snap("s1"), snap("s3")));

    assertThat(bookmarks(A))
        .containsExactlyInAnyOrder(
            otherJob, String.format("zrepl_CURSOR_G_%016x_J_j", snap("s3").guid()));
    assertThat(zfs.holds(A, "s1")).containsExactly("zrepl_STEP_J_other");
  }

  @Test
  void theReceiverKeepsOnlyItsNewestLastReceivedHold() throws Exception {
    replicate(Step.full(snap("s1")));
    replicate(Step.incremental(snap("s1"), snap("s2")));
    // left over by a receiver that died between holding the new and releasing the old
    zfs.hold(DST, "s1", "zrepl_last_received_J_j");

    replicate(Step.incremental(snap("s2"), snap("s3")));

    assertThat(zfs.holds(DST, "s1")).isEmpty();
    assertThat(zfs.holds(DST, "s2")).isEmpty();
    assertThat(zfs.holds(DST, "s3")).containsExactly("zrepl_last_received_J_j");
  }
}
