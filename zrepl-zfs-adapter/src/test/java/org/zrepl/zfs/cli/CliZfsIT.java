package org.zrepl.zfs.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.zfs.DatasetBusyException;
import org.zrepl.port.zfs.DatasetExistsException;
import org.zrepl.port.zfs.DatasetNotFoundException;
import org.zrepl.port.zfs.DestinationModifiedException;
import org.zrepl.port.zfs.ReceiveOptions;
import org.zrepl.port.zfs.SendRequest;
import org.zrepl.port.zfs.SendStream;
import org.zrepl.port.zfs.ZfsCapabilities;
import org.zrepl.port.zfs.ZfsException;

/** What only the command-line adapter can get wrong, against real ZFS (zfs-fuse here). */
class CliZfsIT {

  private static ZfsTestPool pool;
  private static CountingLauncher launcher;
  private static CliZfs zfs;

  @BeforeAll
  static void createPool() {
    pool = ZfsTestPool.create();
    launcher = new CountingLauncher(pool.launcher);
    zfs = new CliZfs(launcher);
  }

  @AfterAll
  static void destroyPool() {
    if (pool != null) {
      pool.close();
    }
  }

  private static DatasetPath ds(String relative) {
    return DatasetPath.of(pool.name).child(relative);
  }

  @Test
  void probeOnRealZfsMatchesThePortsPreset() {
    ZfsCapabilities c = zfs.capabilities();
    ZfsCapabilities preset =
        c.flavour().startsWith("zfs-fuse")
            ? ZfsCapabilities.zfsFuse()
            : c.flavour().startsWith("OpenZFS 2.3")
                ? ZfsCapabilities.openZfs23()
                : ZfsCapabilities.openZfs21();
    assertThat(c).usingRecursiveComparison().ignoringFields("flavour").isEqualTo(preset);
  }

  @Test
  void listingRunsTheSameNumberOfProcessesForOneOrTwentyFilesystems() {
    zfs.capabilities();
    DatasetPath one = ds("count1");
    DatasetPath twenty = ds("count20");
    zfs.createFilesystem(one.child("f0"), Map.of(), true);
    List<DatasetPath> many = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      many.add(twenty.child("f" + i));
    }
    for (DatasetPath p : many) {
      zfs.createFilesystem(p, Map.of(), true);
    }
    zfs.snapshot(List.of(one.child("f0")), "s");
    zfs.snapshot(many, "s");

    int before = launcher.started.size();
    assertThat(zfs.listDatasets(List.of(one), Set.of("zrepl:placeholder"))).hasSize(2);
    int oneDatasets = launcher.started.size() - before;
    before = launcher.started.size();
    assertThat(zfs.listDatasets(List.of(twenty), Set.of("zrepl:placeholder"))).hasSize(21);
    int twentyDatasets = launcher.started.size() - before;

    before = launcher.started.size();
    assertThat(zfs.listVersions(List.of(one.child("f0"))).get(one.child("f0"))).hasSize(1);
    int oneVersions = launcher.started.size() - before;
    before = launcher.started.size();
    Map<DatasetPath, List<FilesystemVersion>> v = zfs.listVersions(many);
    int twentyVersions = launcher.started.size() - before;

    assertThat(v).hasSize(20).allSatisfy((k, list) -> assertThat(list).hasSize(1));
    assertThat(twentyDatasets).isEqualTo(oneDatasets).isEqualTo(1);
    assertThat(twentyVersions).isEqualTo(oneVersions).isEqualTo(1);
  }

  @Test
  void listsVolumesAsVolumesWithTheirVersions() {
    // zfs-fuse cannot create volumes ("internal error: Function not implemented").
    Assumptions.assumeFalse(zfs.capabilities().flavour().startsWith("zfs-fuse"), "no volumes");
    DatasetPath vol = ds("vol");
    pool.run("zfs", "create", "-V", "8M", vol.toString());
    zfs.snapshot(List.of(vol), "s");

    assertThat(zfs.listDatasets(List.of(vol), Set.of()))
        .singleElement()
        .satisfies(d -> assertThat(d.type()).isEqualTo(org.zrepl.port.zfs.DatasetType.VOLUME));
    assertThat(zfs.listVersions(vol)).extracting(FilesystemVersion::name).containsExactly("s");
  }

  @Test
  void classifiesRealErrors() {
    DatasetPath fs = ds("errors");
    zfs.createFilesystem(fs, Map.of(), false);
    zfs.snapshot(List.of(fs), "s1");

    assertThatThrownBy(() -> zfs.createFilesystem(fs, Map.of(), false))
        .isInstanceOfSatisfying(
            DatasetExistsException.class,
            e -> {
              assertThat(e.argv()).containsExactly("zfs", "create", fs.toString());
              assertThat(e.exitCode()).isEqualTo(1);
              assertThat(e.stderr()).contains("dataset already exists");
            });
    assertThatThrownBy(() -> zfs.destroyDataset(ds("missing"), false))
        .isInstanceOf(DatasetNotFoundException.class);
    assertThatThrownBy(() -> zfs.listDatasets(List.of(ds("missing")), Set.of()))
        .isInstanceOf(DatasetNotFoundException.class);
    assertThatThrownBy(() -> zfs.listVersions(List.of(fs, ds("missing"))))
        .isInstanceOf(DatasetNotFoundException.class);
    assertThatThrownBy(() -> zfs.destroySnapshots(fs, List.of("nosuch")))
        .isInstanceOf(DatasetNotFoundException.class);

    zfs.hold(fs, "s1", "zrepl_it");
    assertThatThrownBy(() -> zfs.destroySnapshots(fs, List.of("s1")))
        .isInstanceOf(DatasetBusyException.class)
        // "dataset is busy" (zfs-fuse, OpenZFS 2.1) or "it's being held" (OpenZFS 2.3)
        .hasMessageContaining(fs + "@s1");
    assertThatThrownBy(() -> zfs.hold(fs, "s1", "zrepl_it"))
        .isInstanceOf(DatasetExistsException.class);
    zfs.release(fs, "s1", "zrepl_it");
    assertThatThrownBy(() -> zfs.release(fs, "s1", "zrepl_it"))
        .isInstanceOf(DatasetNotFoundException.class);
    zfs.destroySnapshots(fs, List.of("s1"));
  }

  @Test
  void sendsAndReceivesRealDataFullThenIncremental() {
    DatasetPath src = ds("rt-src");
    DatasetPath dst = ds("rt-dst");
    zfs.createFilesystem(src, Map.of(), false);
    pool.writeRandom(src.toString(), "data", 3_000_000);
    zfs.snapshot(List.of(src), "a");
    pool.writeRandom(src.toString(), "data2", 500_000);
    zfs.snapshot(List.of(src), "b");

    transfer(SendRequest.full(src, "a", Set.of()), dst, ReceiveOptions.defaults());
    transfer(SendRequest.incremental(src, "@a", "b", Set.of()), dst, ReceiveOptions.defaults());

    List<FilesystemVersion> sent = zfs.listVersions(src);
    List<FilesystemVersion> received = zfs.listVersions(dst);
    assertThat(received)
        .extracting(FilesystemVersion::name, FilesystemVersion::guid)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("a", sent.get(0).guid()),
            org.assertj.core.groups.Tuple.tuple("b", sent.get(1).guid()));
    assertThat(pool.checksum(dst.toString(), "data"))
        .isEqualTo(pool.checksum(src.toString(), "data"));
    assertThat(pool.checksum(dst.toString(), "data2"))
        .isEqualTo(pool.checksum(src.toString(), "data2"));
  }

  @Test
  void receiveIntoAModifiedTargetIsDestinationModified() {
    DatasetPath src = ds("mod-src");
    DatasetPath dst = ds("mod-dst");
    zfs.createFilesystem(src, Map.of(), false);
    zfs.snapshot(List.of(src), "a");
    pool.writeRandom(src.toString(), "x", 10_000);
    zfs.snapshot(List.of(src), "b");
    transfer(SendRequest.full(src, "a", Set.of()), dst, ReceiveOptions.defaults());
    pool.writeRandom(dst.toString(), "local-change", 10_000);

    assertThatThrownBy(
            () ->
                transfer(
                    SendRequest.incremental(src, "@a", "b", Set.of()),
                    dst,
                    ReceiveOptions.defaults()))
        .isInstanceOf(DestinationModifiedException.class)
        .hasMessageContaining("has been modified");
  }

  @Test
  void aFailingInputStreamStopsZfsRecvAndPropagates() {
    DatasetPath src = ds("cut-src");
    DatasetPath dst = ds("cut-dst");
    zfs.createFilesystem(src, Map.of(), false);
    pool.writeRandom(src.toString(), "data", 1_000_000);
    zfs.snapshot(List.of(src), "a");

    try (SendStream s = zfs.send(SendRequest.full(src, "a", Set.of()))) {
      InputStream cut = new FailingAfter(s.data(), 200_000);
      assertThatThrownBy(() -> zfs.receive(dst, cut, ReceiveOptions.defaults()))
          .isInstanceOf(UncheckedIOException.class)
          .hasRootCauseMessage("simulated network failure")
          .satisfies(e -> assertThat(e.getSuppressed()).hasSize(1));
    }
    assertThat(zfs.listDatasets(List.of(DatasetPath.of(pool.name)), Set.of()))
        .extracting(d -> d.path())
        .doesNotContain(dst);
  }

  @Test
  void closingASendEarlyStopsItAndFinishReportsFailure() throws IOException {
    DatasetPath src = ds("abort-src");
    zfs.createFilesystem(src, Map.of(), false);
    pool.writeRandom(src.toString(), "data", 2_000_000);
    zfs.snapshot(List.of(src), "a");

    SendStream s = zfs.send(SendRequest.full(src, "a", Set.of()));
    assertThat(s.data().readNBytes(1000)).hasSize(1000);
    s.close();
    assertThatThrownBy(s::finish).isInstanceOf(IllegalStateException.class);
    destroyOnceTheAbortedSendIsGone(src, "a");

    zfs.snapshot(List.of(src), "b");
    SendStream unread = zfs.send(SendRequest.full(src, "b", Set.of()));
    assertThatThrownBy(unread::finish).isInstanceOf(ZfsException.class);
    unread.close();
  }

  /**
   * Through ssh, closing the send kills the local ssh client at once, but the remote {@code zfs
   * send} exits only when it next writes to the closed channel; until then the snapshot is busy.
   * Locally the process is gone before close() returns, and the first try succeeds.
   */
  private void destroyOnceTheAbortedSendIsGone(DatasetPath fs, String snapshot) {
    for (int attempt = 1; ; attempt++) {
      try {
        zfs.destroySnapshots(fs, List.of(snapshot));
        return;
      } catch (DatasetBusyException busy) {
        if (attempt == 50) {
          throw busy;
        }
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw busy;
        }
      }
    }
  }

  @Test
  void sendOfAMissingSnapshotFailsInFinish() throws IOException {
    DatasetPath src = ds("nosnap");
    zfs.createFilesystem(src, Map.of(), false);
    try (SendStream s = zfs.send(SendRequest.full(src, "nosuch", Set.of()))) {
      assertThat(s.data().readAllBytes()).isEmpty();
      assertThatThrownBy(s::finish).isInstanceOf(DatasetNotFoundException.class);
    }
  }

  @Test
  void anInterruptedResumableReceiveCanBeResumedOrAborted() {
    Assumptions.assumeTrue(zfs.capabilities().resumableReceive(), "no resumable receive");
    DatasetPath src = ds("resume-src");
    DatasetPath dst = ds("resume-dst");
    DatasetPath dst2 = ds("resume-dst2");
    zfs.createFilesystem(src, Map.of(), false);
    pool.writeRandom(src.toString(), "data", 1_000_000);
    zfs.snapshot(List.of(src), "a");
    ReceiveOptions resumable = ReceiveOptions.defaults().withResumable(true);
    for (DatasetPath target : List.of(dst, dst2)) {
      try (SendStream s = zfs.send(SendRequest.full(src, "a", Set.of()))) {
        InputStream cut = new FailingAfter(s.data(), 300_000);
        assertThatThrownBy(() -> zfs.receive(target, cut, resumable))
            .isInstanceOf(UncheckedIOException.class);
      }
    }

    String token =
        zfs.getProperties(dst.toString(), Set.of("receive_resume_token"))
            .get("receive_resume_token")
            .value();
    transfer(SendRequest.resume(src, token, Set.of()), dst, resumable);
    assertThat(zfs.listVersions(dst))
        .extracting(FilesystemVersion::guid)
        .containsExactly(zfs.listVersions(src).get(0).guid());
    assertThat(zfs.getProperties(dst.toString(), Set.of("receive_resume_token"))).isEmpty();

    assertThat(zfs.getProperties(dst2.toString(), Set.of("receive_resume_token"))).isNotEmpty();
    zfs.abortResumableReceive(dst2);
    assertThatThrownBy(() -> zfs.getProperties(dst2.toString(), Set.of("receive_resume_token")))
        .isInstanceOf(DatasetNotFoundException.class);
  }

  @Test
  void incrementalFromABookmark() {
    Assumptions.assumeTrue(zfs.capabilities().bookmarks(), "no bookmarks");
    DatasetPath src = ds("bm-src");
    DatasetPath dst = ds("bm-dst");
    zfs.createFilesystem(src, Map.of(), false);
    zfs.snapshot(List.of(src), "a");
    transfer(SendRequest.full(src, "a", Set.of()), dst, ReceiveOptions.defaults());
    zfs.bookmark(src, "a", "a");
    zfs.destroySnapshots(src, List.of("a"));
    pool.writeRandom(src.toString(), "data", 100_000);
    zfs.snapshot(List.of(src), "b");

    transfer(SendRequest.incremental(src, "#a", "b", Set.of()), dst, ReceiveOptions.defaults());

    assertThat(zfs.listVersions(dst)).extracting(FilesystemVersion::name).containsExactly("a", "b");
    assertThat(pool.checksum(dst.toString(), "data"))
        .isEqualTo(pool.checksum(src.toString(), "data"));
  }

  private static void transfer(SendRequest req, DatasetPath target, ReceiveOptions opts) {
    try (SendStream s = zfs.send(req)) {
      zfs.receive(target, s.data(), opts);
      s.finish();
    }
  }

  /** Passes {@code limit} bytes through, then fails like a dropped connection. */
  private static final class FailingAfter extends InputStream {
    private final InputStream in;
    private long left;

    FailingAfter(InputStream in, long limit) {
      this.in = in;
      this.left = limit;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left <= 0) {
        throw new IOException("simulated network failure");
      }
      int n = in.read(b, off, (int) Math.min(len, left));
      if (n > 0) {
        left -= n;
      }
      return n;
    }
  }
}
