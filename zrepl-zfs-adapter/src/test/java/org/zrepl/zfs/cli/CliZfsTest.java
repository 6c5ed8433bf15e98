package org.zrepl.zfs.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.port.zfs.DatasetExistsException;
import org.zrepl.port.zfs.DatasetNotFoundException;
import org.zrepl.port.zfs.ReceiveOptions;
import org.zrepl.port.zfs.SendRequest;
import org.zrepl.port.zfs.UnsupportedZfsFeatureException;
import org.zrepl.port.zfs.ZfsCapabilities;

/** CliZfs against a scripted launcher: which commands run, and how failures surface. */
class CliZfsTest {

  private static final DatasetPath A = DatasetPath.of("p/a");
  private static final DatasetPath B = DatasetPath.of("p/b");

  private static ZfsDialect fuse() {
    return new ZfsDialect(ZfsCapabilities.zfsFuse(), false, true);
  }

  private static ZfsDialect openZfs() {
    return new ZfsDialect(ZfsCapabilities.openZfs21(), true, false);
  }

  @Test
  void probesOnceOnFirstUseWithTheGoldenCommands() {
    ScriptedLauncher l = new ScriptedLauncher().probeAs(Golden.ZFS_FUSE);
    CliZfs zfs = new CliZfs(l);
    assertThat(l.started).isEmpty();

    assertThat(zfs.capabilities().flavour()).isEqualTo("zfs-fuse (pool version 23)");
    zfs.capabilities();

    // version, usage and holds start together; the pool versions only after version failed
    assertThat(l.started)
        .containsExactlyInAnyOrder(
            CapabilityProbe.VERSION,
            CapabilityProbe.USAGE,
            CapabilityProbe.POOL_VERSIONS,
            CapabilityProbe.HOLDS);
    assertThat(l.started.get(3)).isEqualTo(CapabilityProbe.POOL_VERSIONS);
  }

  @Test
  void openZfsNeedsNoPoolVersionProbe() {
    ScriptedLauncher l = new ScriptedLauncher().probeAs(Golden.OPENZFS_21);
    assertThat(new CliZfs(l).capabilities().bookmarks()).isTrue();
    assertThat(l.started)
        .containsExactlyInAnyOrder(
            CapabilityProbe.VERSION, CapabilityProbe.USAGE, CapabilityProbe.HOLDS);
  }

  @Test
  void listsVersionsOfManyFilesystemsWithOneProcess() {
    ScriptedLauncher l = new ScriptedLauncher();
    CliZfs zfs = new CliZfs(l, fuse());
    List<DatasetPath> fs =
        IntStream.range(0, 50).mapToObj(i -> DatasetPath.of("p/fs" + i)).toList();

    assertThat(zfs.listVersions(fs)).hasSize(50);
    assertThat(l.started).hasSize(1);
    assertThat(l.started.get(0))
        .startsWith("zfs", "get", "-Hp", "-d", "1", "-o", "name,property,value");
  }

  @Test
  void usesTheTypeFilterWhereZfsGetHasIt() {
    ScriptedLauncher l = new ScriptedLauncher();
    new CliZfs(l, openZfs()).listDatasets(List.of(A), Set.of("zrepl:placeholder"));
    new CliZfs(l, openZfs()).listVersions(List.of(A));

    assertThat(l.started.get(0))
        .containsExactly(
            "zfs",
            "get",
            "-Hp",
            "-r",
            "-t",
            "filesystem,volume",
            "-o",
            "name,property,value,source",
            "type,zrepl:placeholder",
            "p/a");
    assertThat(l.started.get(1))
        .containsExactly(
            "zfs",
            "get",
            "-Hp",
            "-d",
            "1",
            "-t",
            "snapshot,bookmark",
            "-o",
            "name,property,value",
            "guid,createtxg,creation",
            "p/a");
  }

  @Test
  void onZfsFuseOneGetListsTheDatasetsWithTheirSnapshotsAndOnOpenZfsNothingRuns() {
    String rows =
        String.join(
            "",
            "p/a\ttype\tfilesystem\t-\n",
            "p/a\tguid\t11\t-\n",
            "p/a\tcreatetxg\t5\t-\n",
            "p/a\tcreation\t1700000000\t-\n",
            "p/a\treferenced\t4096\t-\n",
            "p/a\tzrepl:placeholder\ton\tlocal\n",
            "p/a@s2\ttype\tsnapshot\t-\n",
            "p/a@s2\tguid\t22\t-\n",
            "p/a@s2\tcreatetxg\t9\t-\n",
            "p/a@s2\tcreation\t1700000200\t-\n",
            "p/a@s2\treferenced\t8192\t-\n",
            "p/a@s1\ttype\tsnapshot\t-\n",
            "p/a@s1\tguid\t21\t-\n",
            "p/a@s1\tcreatetxg\t7\t-\n",
            "p/a@s1\tcreation\t1700000100\t-\n",
            "p/a@s1\treferenced\t4096\t-\n",
            "p/a/b\ttype\tfilesystem\t-\n",
            "p/a/b\tguid\t33\t-\n",
            "p/a/b\tcreatetxg\t6\t-\n",
            "p/a/b\tcreation\t1700000000\t-\n",
            "p/a/b\treferenced\t4096\t-\n",
            "p/a/b\tzrepl:placeholder\ton\tinherited from p/a\n");
    ScriptedLauncher l = new ScriptedLauncher().onPrefix(List.of("zfs", "get"), 0, rows, "");

    var tree =
        new CliZfs(l, fuse())
            .listDatasetsWithVersions(List.of(A), Set.of("zrepl:placeholder"), Set.of("referenced"))
            .orElseThrow();

    assertThat(l.started)
        .containsExactly(
            List.of(
                "zfs",
                "get",
                "-Hp",
                "-r",
                "-o",
                "name,property,value,source",
                "type,guid,createtxg,creation,zrepl:placeholder,referenced",
                "p/a"));
    DatasetPath ab = DatasetPath.of("p/a/b");
    assertThat(tree.datasets()).extracting(d -> d.path()).containsExactly(A, ab);
    assertThat(tree.datasets().get(1).properties()).containsOnlyKeys("zrepl:placeholder");
    assertThat(tree.versions().get(A).versions())
        .extracting(v -> v.name() + ":" + v.guid() + ":" + v.createTxg())
        .containsExactly("s1:21:7", "s2:22:9");
    assertThat(tree.versions().get(A).snapshotProperty("s2", "referenced").get().value())
        .isEqualTo("8192");
    assertThat(tree.versions().get(ab).versions()).isEmpty();

    ScriptedLauncher none = new ScriptedLauncher();
    assertThat(
            new CliZfs(none, openZfs())
                .listDatasetsWithVersions(List.of(A), Set.of(), Set.of("referenced")))
        .isEmpty();
    assertThat(none.started).isEmpty();
  }

  @Test
  void snapshotsOneByOneWithoutAtomicMultiSnapshotAndReportsTheFirstFailure() {
    ScriptedLauncher l =
        new ScriptedLauncher()
            .on(
                a -> a.contains("p/a@s"),
                1,
                "",
                "cannot create snapshot 'p/a@s': dataset already exists\n");
    CliZfs zfs = new CliZfs(l, fuse());

    assertThatThrownBy(() -> zfs.snapshot(List.of(A, B), "s"))
        .isInstanceOf(DatasetExistsException.class)
        .hasMessageContaining("p/a@s");
    assertThat(l.started)
        .containsExactly(List.of("zfs", "snapshot", "p/a@s"), List.of("zfs", "snapshot", "p/b@s"));
  }

  @Test
  void snapshotsAtomicallyWhereSupported() {
    ScriptedLauncher l = new ScriptedLauncher();
    new CliZfs(l, openZfs()).snapshot(List.of(B, A), "s");
    assertThat(l.started).containsExactly(List.of("zfs", "snapshot", "p/a@s", "p/b@s"));
  }

  @Test
  void destroysSnapshotsBatchedOrOneByOne() {
    ScriptedLauncher batched = new ScriptedLauncher();
    new CliZfs(batched, openZfs()).destroySnapshots(A, List.of("y", "x"));
    assertThat(batched.started).containsExactly(List.of("zfs", "destroy", "p/a@x,y"));

    ScriptedLauncher single = new ScriptedLauncher();
    new CliZfs(single, fuse()).destroySnapshots(A, List.of("y", "x"));
    assertThat(single.started)
        .containsExactly(List.of("zfs", "destroy", "p/a@y"), List.of("zfs", "destroy", "p/a@x"));
  }

  @Test
  void reRunsATransientlyBusyDestroyOnZfsFuseOnly() {
    String busy = "cannot destroy 'p/a': dataset is busy\n";
    List<List<String>> fuseRuns = new java.util.ArrayList<>();
    ProcessLauncher busyThrice =
        argv -> {
          fuseRuns.add(argv);
          return new ScriptedLauncher.ScriptedProcess(
              fuseRuns.size() <= 3
                  ? new ScriptedLauncher.Reply(1, "", busy)
                  : new ScriptedLauncher.Reply(0, "", ""));
        };
    new CliZfs(busyThrice, fuse()).destroyDataset(A, true);
    assertThat(fuseRuns).hasSize(4).containsOnly(List.of("zfs", "destroy", "-r", "p/a"));

    ScriptedLauncher alwaysBusy = new ScriptedLauncher().onPrefix(List.of("zfs"), 1, "", busy);
    assertThatThrownBy(() -> new CliZfs(alwaysBusy, fuse()).destroyDataset(A, false))
        .isInstanceOf(org.zrepl.port.zfs.DatasetBusyException.class);
    assertThat(alwaysBusy.started).hasSize(1 + CliZfs.BUSY_RERUNS);

    ScriptedLauncher openZfsBusy = new ScriptedLauncher().onPrefix(List.of("zfs"), 1, "", busy);
    assertThatThrownBy(() -> new CliZfs(openZfsBusy, openZfs()).destroyDataset(A, false))
        .isInstanceOf(org.zrepl.port.zfs.DatasetBusyException.class);
    assertThat(openZfsBusy.started).hasSize(1);
  }

  @Test
  @SuppressWarnings("InputStreamSlowMultibyteRead") // a stream that must never be read
  void unsupportedFeaturesFailBeforeAnythingRunsOrIsRead() {
    ScriptedLauncher l = new ScriptedLauncher();
    CliZfs zfs = new CliZfs(l, fuse());
    InputStream untouched =
        new InputStream() {
          @Override
          public int read() {
            throw new AssertionError("the stream must not be read");
          }
        };

    assertThatThrownBy(
            () -> zfs.receive(B, untouched, ReceiveOptions.defaults().withResumable(true)))
        .isInstanceOf(UnsupportedZfsFeatureException.class)
        .hasMessage(
            "'zfs recv -u -s p/b' exited with status -1: zfs-fuse 0.7 does not support resumable"
                + " receive (-s)");
    assertThatThrownBy(() -> zfs.holds(A, "s")).isInstanceOf(UnsupportedZfsFeatureException.class);
    assertThatThrownBy(() -> zfs.send(SendRequest.incremental(A, "#b", "s", Set.of())))
        .isInstanceOf(UnsupportedZfsFeatureException.class)
        .hasMessageContaining("'zfs send -i p/a#b p/a@s'");
    assertThat(l.started).isEmpty();
  }

  @Test
  void receiveCopiesTheStreamIntoStdinAndClosesIt() {
    ScriptedLauncher l = new ScriptedLauncher();
    byte[] data = new byte[StreamReceiver.BUFFER_SIZE * 2 + 17];
    data[data.length - 1] = 42;

    new CliZfs(l, openZfs())
        .receive(B, new ByteArrayInputStream(data), ReceiveOptions.defaults().withForce(true));

    assertThat(l.started).containsExactly(List.of("zfs", "recv", "-F", "-u", "p/b"));
    assertThat(l.processes.get(0).stdin.toByteArray()).isEqualTo(data);
    assertThat(l.processes.get(0).stdinClosed).isTrue();
  }

  @Test
  @SuppressWarnings("InputStreamSlowMultibyteRead") // 100 bytes, then a failure
  void receiveClosesZfsRecvAndRethrowsWhenTheInputFails() {
    ScriptedLauncher l =
        new ScriptedLauncher()
            .onPrefix(
                List.of("zfs", "recv"),
                1,
                "",
                "cannot receive new filesystem stream: checksum mismatch or incomplete stream.\n");
    InputStream failing =
        new InputStream() {
          private int n;

          @Override
          public int read() throws IOException {
            if (n++ < 100) {
              return 7;
            }
            throw new IOException("connection reset by peer");
          }
        };

    assertThatThrownBy(
            () -> new CliZfs(l, openZfs()).receive(B, failing, ReceiveOptions.defaults()))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("'zfs recv -u p/b'")
        .hasRootCauseMessage("connection reset by peer")
        .satisfies(
            e ->
                assertThat(e.getSuppressed())
                    .singleElement()
                    .asString()
                    .contains("incomplete stream"));
    assertThat(l.processes.get(0).stdinClosed).isTrue();
    assertThat(l.processes.get(0).stdin.size()).isEqualTo(100);
  }

  @Test
  void propertiesThatAreNotSetAreAbsent() {
    ScriptedLauncher l =
        new ScriptedLauncher()
            .onPrefix(List.of("zfs", "get"), 0, Golden.of(Golden.ZFS_FUSE, "get-props").out(), "");
    Map<String, org.zrepl.port.zfs.Property> props =
        new CliZfs(l, fuse())
            .getProperties("zgold/other", Set.of("type", "compression", "zrepl:unset"));

    assertThat(props).containsOnlyKeys("type", "compression");
    assertThat(props.get("compression").source())
        .isEqualTo(org.zrepl.port.zfs.Property.Source.DEFAULT);
    assertThat(l.started.get(0))
        .containsExactly(
            "zfs",
            "get",
            "-Hp",
            "-o",
            "name,property,value,source",
            "compression,type,zrepl:unset",
            "zgold/other");
  }

  @Test
  void listingAMissingRootThrowsNotFound() {
    Golden g = Golden.of(Golden.ZFS_FUSE, "err-get-missing");
    ScriptedLauncher l =
        new ScriptedLauncher().onPrefix(List.of("zfs", "get"), g.exit(), g.out(), g.err());

    assertThatThrownBy(() -> new CliZfs(l, fuse()).listDatasets(List.of(A), Set.of()))
        .isInstanceOf(DatasetNotFoundException.class)
        .hasMessageContaining("dataset does not exist");
  }
}
