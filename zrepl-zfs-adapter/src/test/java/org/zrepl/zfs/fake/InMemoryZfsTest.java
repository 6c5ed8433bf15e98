package org.zrepl.zfs.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.zfs.DatasetBusyException;
import org.zrepl.port.zfs.DatasetNotFoundException;
import org.zrepl.port.zfs.DestinationModifiedException;
import org.zrepl.port.zfs.ReceiveOptions;
import org.zrepl.port.zfs.SendFlag;
import org.zrepl.port.zfs.SendRequest;
import org.zrepl.port.zfs.SendStream;
import org.zrepl.port.zfs.UnsupportedZfsFeatureException;
import org.zrepl.port.zfs.ZfsCapabilities;
import org.zrepl.port.zfs.ZfsException;

/** What only the fake has (failure injection, process counts) and its preset-specific quirks. */
class InMemoryZfsTest {

  private static final Instant T0 = Instant.parse("2026-03-04T05:06:07.890Z");
  private static final DatasetPath A = DatasetPath.of("src/a");
  private static final DatasetPath B = DatasetPath.of("src/b");
  private static final DatasetPath TARGET = DatasetPath.of("dst/a");
  private static final ReceiveOptions PLAIN =
      new ReceiveOptions(false, false, false, Map.of(), Set.of());

  private static InMemoryZfs fake(ZfsCapabilities caps) {
    InMemoryZfs zfs = new InMemoryZfs(caps, Clock.fixed(T0, ZoneOffset.UTC), 7);
    zfs.createPool("src");
    zfs.createPool("dst");
    zfs.createFilesystem(A, Map.of(), false);
    zfs.createFilesystem(B, Map.of(), false);
    return zfs;
  }

  @Test
  void injectedFailureIsThrownOnceAndTheProcessCounted() {
    InMemoryZfs zfs = fake(ZfsCapabilities.openZfs21());
    ZfsException boom = new ZfsException(List.of("zfs", "snapshot"), 1, "injected");
    zfs.failNext("snapshot", boom);

    assertThatThrownBy(() -> zfs.snapshot(List.of(A), "s1")).isSameAs(boom);
    zfs.snapshot(List.of(A), "s1");

    assertThat(zfs.processesStarted("snapshot")).isEqualTo(2);
    assertThat(zfs.listVersions(A)).hasSize(1);
  }

  @Test
  void unknownOperationIsRejectedNamingTheKnownOnes() {
    InMemoryZfs zfs = fake(ZfsCapabilities.openZfs21());

    assertThatThrownBy(() -> zfs.failNext("snapshots", new ZfsException(List.of(), 1, "")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown operation 'snapshots'")
        .hasMessageContaining("snapshot");
  }

  @Test
  void processCountsFollowTheCapabilities() {
    InMemoryZfs fuse = fake(ZfsCapabilities.zfsFuse());
    InMemoryZfs open = fake(ZfsCapabilities.openZfs21());
    for (InMemoryZfs zfs : List.of(fuse, open)) {
      zfs.snapshot(List.of(A, B), "s1");
      zfs.snapshot(List.of(A), "s2");
      zfs.listVersions(List.of(A, B));
      zfs.destroySnapshots(A, List.of("s1", "s2"));
    }

    assertThat(fuse.processesStarted()).containsEntry("snapshot", 3).containsEntry("destroy", 2);
    assertThat(open.processesStarted()).containsEntry("snapshot", 2).containsEntry("destroy", 1);
    assertThat(fuse.processesStarted("list")).isEqualTo(1);
    assertThat(open.processesStarted("list")).isEqualTo(1);
  }

  @Test
  void guidsComeFromTheSeedAndCreationFromTheClockInWholeSeconds() {
    InMemoryZfs one = fake(ZfsCapabilities.openZfs21());
    InMemoryZfs two = fake(ZfsCapabilities.openZfs21());
    one.snapshot(List.of(A), "s1");
    two.snapshot(List.of(A), "s1");

    FilesystemVersion v = one.listVersions(A).get(0);
    assertThat(v.guid()).isEqualTo(two.listVersions(A).get(0).guid());
    assertThat(v.creation()).isEqualTo(Instant.parse("2026-03-04T05:06:07Z"));
  }

  @Test
  void txgsCountPerPoolAndGrowWithEveryChange() {
    InMemoryZfs zfs = fake(ZfsCapabilities.openZfs21());
    zfs.snapshot(List.of(A), "s1");
    zfs.write(A, "f", bytes("x"));
    zfs.setProperty(A, "zt:p", "v");
    zfs.snapshot(List.of(A), "s2");
    zfs.createFilesystem(DatasetPath.of("dst/x"), Map.of(), false);
    zfs.snapshot(List.of(DatasetPath.of("dst/x")), "s1");

    List<FilesystemVersion> a = zfs.listVersions(A);
    long dstTxg = zfs.listVersions(DatasetPath.of("dst/x")).get(0).createTxg();

    assertThat(a.get(1).createTxg() - a.get(0).createTxg()).isEqualTo(3);
    assertThat(dstTxg).isLessThan(a.get(0).createTxg());
  }

  @Test
  void atomicSnapshotsShareOneTxgAndRefuseSeveralPools() {
    InMemoryZfs zfs = fake(ZfsCapabilities.openZfs21());
    DatasetPath other = DatasetPath.of("dst");

    zfs.snapshot(List.of(A, B), "s1");

    assertThat(zfs.listVersions(A).get(0).createTxg())
        .isEqualTo(zfs.listVersions(B).get(0).createTxg());
    assertThatThrownBy(() -> zfs.snapshot(List.of(A, other), "s2"))
        .isInstanceOf(ZfsException.class)
        .hasMessageContaining("same pool");
    assertThat(zfs.listVersions(A)).hasSize(1);
  }

  @Test
  void batchDestroySkipsMissingNamesLikeOpenZfs() {
    InMemoryZfs zfs = fake(ZfsCapabilities.openZfs21());
    zfs.snapshot(List.of(A), "s1");

    zfs.destroySnapshots(A, List.of("missing", "s1"));

    assertThat(zfs.listVersions(A)).isEmpty();
    DatasetNotFoundException e =
        catchThrowableOfType(
            DatasetNotFoundException.class, () -> zfs.destroySnapshots(A, List.of("x", "y")));
    assertThat(e.argv()).containsExactly("zfs", "destroy", "src/a@x,y");
    assertThat(e.stderr()).contains("could not find any snapshots to destroy");
  }

  /**
   * zfs-fuse where hold and release work (they do; only listing holds fails, which is why the
   * preset says no holds).
   */
  private static final ZfsCapabilities FUSE_WITH_HOLDS =
      new ZfsCapabilities(
          "zfs-fuse 0.7 (holds)", false, false, false, false, true, false, false, false, false);

  @Test
  void zfsFusePresetHasNoHolds() {
    InMemoryZfs zfs = fake(ZfsCapabilities.zfsFuse());
    zfs.snapshot(List.of(A), "s1");

    assertThatThrownBy(() -> zfs.hold(A, "s1", "t"))
        .isInstanceOf(UnsupportedZfsFeatureException.class);
  }

  @Test
  void recursiveDestroyOnZfsFuseDestroysWhatIsNotHeld() {
    InMemoryZfs fuse = fake(FUSE_WITH_HOLDS);
    InMemoryZfs open = fake(ZfsCapabilities.openZfs21());
    for (InMemoryZfs zfs : List.of(fuse, open)) {
      zfs.createFilesystem(DatasetPath.of("src/a/child"), Map.of(), false);
      zfs.snapshot(List.of(A), "s1");
      zfs.snapshot(List.of(A), "s2");
      zfs.hold(A, "s2", "t");

      assertThatThrownBy(() -> zfs.destroyDataset(A, true))
          .isInstanceOf(DatasetBusyException.class);
    }

    assertThat(names(fuse, A)).containsExactly("@s2");
    assertThat(fuse.listDatasets(List.of(A), Set.of())).hasSize(1);
    assertThat(names(open, A)).containsExactly("@s1", "@s2");
    assertThat(open.listDatasets(List.of(A), Set.of())).hasSize(2);
  }

  @Test
  void busySnapshotErrorLooksLikeZfs() {
    InMemoryZfs zfs = fake(FUSE_WITH_HOLDS);
    zfs.snapshot(List.of(A), "s1");
    zfs.hold(A, "s1", "t");

    DatasetBusyException e =
        catchThrowableOfType(
            DatasetBusyException.class, () -> zfs.destroySnapshots(A, List.of("s1")));

    assertThat(e.argv()).containsExactly("zfs", "destroy", "src/a@s1");
    assertThat(e.exitCode()).isEqualTo(1);
    assertThat(e.stderr()).isEqualTo("cannot destroy 'src/a@s1': dataset is busy\n");
  }

  @Test
  void forcedIncrementalRollsBackToTheBaseOnOpenZfsOnly() {
    for (ZfsCapabilities caps : List.of(ZfsCapabilities.openZfs21(), ZfsCapabilities.zfsFuse())) {
      InMemoryZfs zfs = fake(caps);
      zfs.snapshot(List.of(A), "s1");
      zfs.snapshot(List.of(A), "s2");
      transfer(zfs, SendRequest.full(A, "s1", Set.of()), PLAIN);
      zfs.write(TARGET, "f", bytes("local change"));
      zfs.snapshot(List.of(TARGET), "local");
      SendRequest incremental = SendRequest.incremental(A, "@s1", "s2", Set.of());

      assertThatThrownBy(() -> transfer(zfs, incremental, PLAIN))
          .isInstanceOf(DestinationModifiedException.class);
      if (caps.flavour().startsWith("OpenZFS")) {
        transfer(zfs, incremental, PLAIN.withForce(true));
        assertThat(names(zfs, TARGET)).containsExactly("@s1", "@s2");
        assertThat(zfs.read(TARGET, "f")).isEmpty();
      } else {
        assertThatThrownBy(() -> transfer(zfs, incremental, PLAIN.withForce(true)))
            .isInstanceOf(DestinationModifiedException.class)
            .hasMessageContaining("does not\nmatch incremental source");
        assertThat(names(zfs, TARGET)).containsExactly("@s1", "@local");
      }
    }
  }

  @Test
  void zfsFuseRefusesSendFlagsItDoesNotKnow() {
    InMemoryZfs zfs = fake(ZfsCapabilities.zfsFuse());
    zfs.snapshot(List.of(A), "s1");

    UnsupportedZfsFeatureException e =
        catchThrowableOfType(
            UnsupportedZfsFeatureException.class,
            () -> zfs.send(SendRequest.full(A, "s1", Set.of(SendFlag.COMPRESSED))));

    assertThat(e.argv()).containsExactly("zfs", "send", "-c", "src/a@s1");
    assertThat(e.exitCode()).isEqualTo(2);
    assertThat(e.stderr()).contains("invalid option 'c'");
  }

  @Test
  void cutSendDeliversOnlyThePrefixAndFails() throws IOException {
    InMemoryZfs zfs = fake(ZfsCapabilities.openZfs21());
    zfs.write(A, "big", new byte[10_000]);
    zfs.snapshot(List.of(A), "s1");
    zfs.cutNextSendAfter(5_000);

    try (SendStream stream = zfs.send(SendRequest.full(A, "s1", Set.of()))) {
      assertThatThrownBy(() -> zfs.receive(TARGET, stream.data(), PLAIN.withResumable(true)))
          .isInstanceOf(ZfsException.class)
          .hasMessageContaining("Partially received snapshot is saved");
      assertThat(stream.data().read()).isEqualTo(-1);
      assertThatThrownBy(stream::finish).isInstanceOf(ZfsException.class);
    }
    String token =
        zfs.getProperties(TARGET.toString(), Set.of("receive_resume_token"))
            .get("receive_resume_token")
            .value();
    assertThat(FakeResumeToken.decode(token).orElseThrow().bytes()).isPositive();

    transfer(zfs, SendRequest.resume(A, token, Set.of()), PLAIN.withResumable(true));

    assertThat(zfs.read(TARGET, "big")).contains(new byte[10_000]);
  }

  @Test
  void cutIntermediatesKeepCompletedSnapshotsAndResumeTheRest() {
    InMemoryZfs zfs = fake(ZfsCapabilities.openZfs23());
    for (String s : List.of("s1", "s2", "s3")) {
      zfs.write(A, "f", new byte[4_000]);
      zfs.snapshot(List.of(A), s);
    }
    transfer(zfs, SendRequest.full(A, "s1", Set.of()), PLAIN);
    byte[] stream = sendAll(zfs, SendRequest.intermediates(A, "s1", "s3", Set.of()));
    int cut = stream.length - 1_000;

    assertThatThrownBy(
            () ->
                zfs.receive(
                    TARGET, new ByteArrayInputStream(stream, 0, cut), PLAIN.withResumable(true)))
        .isInstanceOf(ZfsException.class);
    assertThat(names(zfs, TARGET)).containsExactly("@s1", "@s2");
    String token =
        zfs.getProperties(TARGET.toString(), Set.of("receive_resume_token"))
            .get("receive_resume_token")
            .value();
    assertThat(FakeResumeToken.decode(token).orElseThrow().toName()).isEqualTo("src/a@s3");

    transfer(zfs, SendRequest.resume(A, token, Set.of()), PLAIN.withResumable(true));
    assertThat(names(zfs, TARGET)).containsExactly("@s1", "@s2", "@s3");
  }

  @Test
  void damagedOrForeignResumeTokensAreRefused() {
    InMemoryZfs zfs = fake(ZfsCapabilities.openZfs21());
    zfs.snapshot(List.of(A), "s1");
    String foreign = new FakeResumeToken(12345, 0, "src/a@gone", 10).encode();

    assertThatThrownBy(() -> zfs.send(SendRequest.resume(A, "1-abc-def", Set.of())))
        .isInstanceOf(ZfsException.class)
        .hasMessageContaining("corrupt");
    assertThatThrownBy(() -> zfs.send(SendRequest.resume(A, foreign, Set.of())))
        .isInstanceOf(DatasetNotFoundException.class)
        .hasMessageContaining("src/a@gone");
  }

  @Test
  void corruptedPayloadFailsTheChecksum() {
    InMemoryZfs zfs = fake(ZfsCapabilities.openZfs21());
    zfs.write(A, "f", bytes("some content to corrupt"));
    zfs.snapshot(List.of(A), "s1");
    byte[] stream = sendAll(zfs, SendRequest.full(A, "s1", Set.of()));
    stream[stream.length - 10] ^= 0x55;

    assertThatThrownBy(() -> zfs.receive(TARGET, new ByteArrayInputStream(stream), PLAIN))
        .isInstanceOf(ZfsException.class)
        .hasMessageContaining("checksum mismatch");
    assertThat(zfs.listDatasets(List.of(DatasetPath.of("dst")), Set.of())).hasSize(1);
  }

  @Test
  void unmountedReceiveIsRecordedExceptOnZfsFuse() {
    for (ZfsCapabilities caps : List.of(ZfsCapabilities.openZfs21(), ZfsCapabilities.zfsFuse())) {
      InMemoryZfs zfs = fake(caps);
      zfs.snapshot(List.of(A), "s1");

      transfer(zfs, SendRequest.full(A, "s1", Set.of()), ReceiveOptions.defaults());

      String mounted =
          zfs.getProperties(TARGET.toString(), Set.of("mounted")).get("mounted").value();
      assertThat(mounted).isEqualTo(caps.flavour().startsWith("zfs-fuse") ? "yes" : "no");
    }
  }

  @Test
  void readonlyFilesystemRefusesWrites() {
    InMemoryZfs zfs = fake(ZfsCapabilities.openZfs21());
    zfs.setProperty(A, "readonly", "on");

    assertThatThrownBy(() -> zfs.write(A, "f", bytes("x")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("src/a");
  }

  @Test
  void concurrentSnapshotsAreAllKept() throws InterruptedException {
    InMemoryZfs zfs = fake(ZfsCapabilities.openZfs21());
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int id = t;
      threads.add(
          new Thread(
              () -> {
                for (int i = 0; i < 50; i++) {
                  zfs.snapshot(List.of(A, B), "t" + id + "_" + i);
                  zfs.write(A, "f" + id, bytes(Integer.toString(i)));
                }
              }));
    }
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join();
    }

    List<FilesystemVersion> versions = zfs.listVersions(A);
    assertThat(versions).hasSize(200);
    assertThat(versions).extracting(FilesystemVersion::createTxg).doesNotHaveDuplicates();
  }

  @Test
  void receiveReadsItsStreamWithoutBlockingOtherCallers() throws Exception {
    InMemoryZfs zfs = fake(ZfsCapabilities.openZfs21());
    zfs.write(A, "big", new byte[100_000]);
    zfs.snapshot(List.of(A), "s1");
    byte[] stream = sendAll(zfs, SendRequest.full(A, "s1", Set.of()));
    PipedOutputStream out = new PipedOutputStream();
    PipedInputStream in = new PipedInputStream(out, 1024);
    CompletableFuture<Void> receiving =
        CompletableFuture.runAsync(() -> zfs.receive(TARGET, in, PLAIN));

    assertTimeoutPreemptively(
        Duration.ofSeconds(20),
        () -> {
          for (int off = 0; off < stream.length; off += 4096) {
            out.write(stream, off, Math.min(4096, stream.length - off));
            // the fake stays usable while the receive waits for more bytes
            assertThat(zfs.listVersions(A)).hasSize(1);
          }
          out.close();
          receiving.get();
        });
    assertThat(names(zfs, TARGET)).containsExactly("@s1");
  }

  private static void transfer(InMemoryZfs zfs, SendRequest request, ReceiveOptions options) {
    try (SendStream stream = zfs.send(request)) {
      zfs.receive(TARGET, stream.data(), options);
      stream.finish();
    }
  }

  private static byte[] sendAll(InMemoryZfs zfs, SendRequest request) {
    try (SendStream stream = zfs.send(request)) {
      byte[] bytes = stream.data().readAllBytes();
      stream.finish();
      return bytes;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> names(InMemoryZfs zfs, DatasetPath fs) {
    return zfs.listVersions(fs).stream().map(FilesystemVersion::relativeName).toList();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
