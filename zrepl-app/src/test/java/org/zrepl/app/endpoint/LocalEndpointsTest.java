package org.zrepl.app.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import org.zrepl.port.endpoint.FilesystemNotFoundException;
import org.zrepl.port.endpoint.ReceiveStepRequest;
import org.zrepl.port.endpoint.SendCompletedRequest;
import org.zrepl.port.endpoint.SendStepRequest;
import org.zrepl.port.endpoint.SendStepResponse;
import org.zrepl.port.endpoint.VersionMismatchException;
import org.zrepl.port.zfs.ZfsCapabilities;
import org.zrepl.zfs.fake.InMemoryZfs;

class LocalEndpointsTest {

  private static final DatasetPath A = DatasetPath.of("src/a");
  private static final DatasetPath B = DatasetPath.of("src/b");

  private static InMemoryZfs zfs(ZfsCapabilities caps) {
    InMemoryZfs zfs =
        new InMemoryZfs(
            caps, Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC), 3);
    zfs.createPool("src");
    zfs.createPool("dst");
    zfs.createFilesystem(A, Map.of(), false);
    zfs.createFilesystem(B, Map.of(), false);
    zfs.snapshot(List.of(A), "s1");
    zfs.snapshot(List.of(B), "s1");
    return zfs;
  }

  private static LocalSender senderOfA(InMemoryZfs zfs) {
    return new LocalSender(zfs, DatasetFilter.of(Map.of("src/a", "ok")), "j", Set.of());
  }

  private static LocalReceiver receiver(InMemoryZfs zfs) {
    return new LocalReceiver(
        zfs, s -> Optional.of(DatasetPath.of("dst").append(s.components())), "j");
  }

  @Test
  void senderServesOnlyFilteredFilesystems() {
    LocalSender sender = senderOfA(zfs(ZfsCapabilities.openZfs21()));

    assertThat(sender.listFilesystems()).extracting(f -> f.path()).containsExactly(A);
    FilesystemVersion s1 = sender.listVersions(List.of(A)).get(A).get(0);
    assertThatThrownBy(() -> sender.listVersions(List.of(B)))
        .isInstanceOf(FilesystemNotFoundException.class)
        .hasMessageContaining("src/b is not served");
    assertThatThrownBy(() -> sender.send(SendStepRequest.of(B, Step.full(s1))))
        .isInstanceOf(FilesystemNotFoundException.class);
  }

  @Test
  void senderListsOnlyBelowTheDatasetsItsFilterNamesAndToleratesAMissingOne() {
    InMemoryZfs zfs = zfs(ZfsCapabilities.openZfs21());
    zfs.createFilesystem(DatasetPath.of("dst/other"), Map.of(), false);
    LocalSender sender =
        new LocalSender(
            zfs,
            DatasetFilter.of(Map.of("src/a<", "ok", "src/gone<", "!", "src/a/tmp", "!")),
            "j",
            Set.of());

    int before = zfs.commandsStarted().size();
    assertThat(sender.listFilesystems()).extracting(f -> f.path()).containsExactly(A);
    List<List<String>> started =
        zfs.commandsStarted().subList(before, zfs.commandsStarted().size());
    // the listing of both named roots fails (src/gone does not exist); each is asked for; src/a
    // is listed alone: never the pools, never dst
    assertThat(started).hasSize(4);
    assertThat(started.get(3)).contains("src/a").doesNotContain("src", "dst", "src/gone");
    assertThat(started).noneMatch(argv -> argv.contains("dst") || argv.contains("dst/other"));
  }

  @Test
  void senderRefusesAStepWhoseGuidChanged() {
    InMemoryZfs zfs = zfs(ZfsCapabilities.openZfs21());
    LocalSender sender = senderOfA(zfs);
    FilesystemVersion s1 = zfs.listVersions(A).get(0);
    FilesystemVersion forged =
        FilesystemVersion.snapshot("s1", s1.guid() + 1, s1.createTxg(), s1.creation());

    assertThatThrownBy(() -> sender.send(SendStepRequest.of(A, Step.full(forged))))
        .isInstanceOf(VersionMismatchException.class)
        .hasMessageContaining("src/a no longer has @s1 with guid");
    assertThat(zfs.holds(A, "s1")).isEmpty();
  }

  @Test
  void senderDestroysOnlyServedSnapshotsWithTheirGuid() {
    InMemoryZfs zfs = zfs(ZfsCapabilities.zfsFuse());
    zfs.snapshot(List.of(A), "s2");
    LocalSender sender = senderOfA(zfs);
    FilesystemVersion s1 = zfs.listVersions(A).get(0);
    FilesystemVersion s2 = zfs.listVersions(A).get(1);
    FilesystemVersion forged =
        FilesystemVersion.snapshot("s2", s2.guid() + 1, s2.createTxg(), s2.creation());

    assertThatThrownBy(() -> sender.destroySnapshots(A, List.of(s1, forged)))
        .isInstanceOf(VersionMismatchException.class)
        .hasMessageContaining("sender src/a has no snapshot @s2 with guid");
    assertThat(zfs.listVersions(A)).extracting(FilesystemVersion::name).containsExactly("s1", "s2");
    FilesystemVersion bS1 = zfs.listVersions(B).get(0);
    assertThatThrownBy(() -> sender.destroySnapshots(B, List.of(bS1)))
        .isInstanceOf(FilesystemNotFoundException.class)
        .hasMessageContaining("src/b is not served");
    assertThat(zfs.listVersions(B)).extracting(FilesystemVersion::name).containsExactly("s1");

    sender.destroySnapshots(A, List.of(s1));
    assertThat(zfs.listVersions(A)).extracting(FilesystemVersion::name).containsExactly("s2");
  }

  @Test
  void receiverRejectsAStreamThatIsNotThePlannedSnapshot() throws Exception {
    InMemoryZfs zfs = zfs(ZfsCapabilities.openZfs21());
    LocalSender sender = senderOfA(zfs);
    FilesystemVersion s1 = zfs.listVersions(A).get(0);
    FilesystemVersion other =
        FilesystemVersion.snapshot("s1", s1.guid() ^ 0x55, s1.createTxg(), s1.creation());
    SendStepResponse sent = sender.send(SendStepRequest.of(A, Step.full(s1)));

    try (InputStream in = sent.stream()) {
      assertThatThrownBy(
              () -> receiver(zfs).receive(ReceiveStepRequest.of(A, Step.full(other)), in))
          .isInstanceOf(VersionMismatchException.class)
          .hasMessageContaining("dst/src/a@s1 has guid");
    }
  }

  @Test
  void receivePropertyOverridesAreAppliedOrRefusedUpFront() throws Exception {
    assertThatThrownBy(
            () ->
                new LocalReceiver(
                    zfs(ZfsCapabilities.zfsFuse()),
                    s -> Optional.of(s),
                    "j",
                    Map.of("readonly", "on"),
                    Set.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("zfs-fuse");

    InMemoryZfs zfs = zfs(ZfsCapabilities.openZfs21());
    LocalReceiver receiver =
        new LocalReceiver(
            zfs,
            s -> Optional.of(DatasetPath.of("dst").append(s.components())),
            "j",
            Map.of("readonly", "on"),
            Set.of());
    FilesystemVersion s1 = zfs.listVersions(A).get(0);
    try (InputStream in = senderOfA(zfs).send(SendStepRequest.of(A, Step.full(s1))).stream()) {
      receiver.receive(ReceiveStepRequest.of(A, Step.full(s1)), in);
    }
    assertThat(zfs.getProperties("dst/src/a", Set.of("readonly")).get("readonly").value())
        .isEqualTo("on");
  }

  @Test
  void receiverListsMissingPlaceholderAndReplicaInOneListing() {
    InMemoryZfs zfs = zfs(ZfsCapabilities.openZfs21());
    zfs.createFilesystem(DatasetPath.of("dst/src"), Map.of("zrepl:placeholder", "on"), false);
    int lists = zfs.processesStarted("list");

    var state = receiver(zfs).listFilesystems(List.of(DatasetPath.of("src"), A));

    assertThat(zfs.processesStarted("list") - lists).isEqualTo(1);
    assertThat(state.get(DatasetPath.of("src")).placeholder()).isTrue();
    assertThat(state.get(A).exists()).isFalse();
    assertThat(state.get(A).localPath()).isEqualTo(DatasetPath.of("dst/src/a"));
  }

  @Test
  void closingEarlyAbortsQuietlyAndKeepsTheStepHoldUntilSendCompleted() throws Exception {
    InMemoryZfs zfs = zfs(ZfsCapabilities.openZfs21());
    LocalSender sender = senderOfA(zfs);
    Step step = Step.full(zfs.listVersions(A).get(0));
    InputStream in = sender.send(SendStepRequest.of(A, step)).stream();
    assertThat(in.read()).isNotNegative();

    in.close();

    assertThat(zfs.holds(A, "s1")).containsExactly("zrepl_STEP_J_j");
    sender.sendCompleted(new SendCompletedRequest(A, step, false));
    assertThat(zfs.holds(A, "s1")).isEmpty();
    assertThat(zfs.listVersions(A)).noneMatch(FilesystemVersion::isBookmark);
  }
}
