package org.zrepl.zfs.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.port.zfs.DirectSend;
import org.zrepl.port.zfs.DirectSendSource;
import org.zrepl.port.zfs.ReceiveOptions;
import org.zrepl.port.zfs.SendRequest;
import org.zrepl.port.zfs.SendStream;
import org.zrepl.port.zfs.ZfsException;

/**
 * {@link CliZfs#receive} taking a {@code zfs send} over by a kernel pipe, against real ZFS: the
 * length reported, and each side's failure reported as the cause it is.
 */
class CliZfsPipeIT {

  private static ZfsTestPool pool;
  private static CountingLauncher launcher;
  private static CliZfs zfs;

  @BeforeAll
  static void createPool() {
    // The pipe joins two commands of this host: over ssh (the OpenZFS guest) the launcher cannot
    // pipe and the stream is copied, which CliZfsIT and the contract suite cover.
    pool = ZfsTestPool.create(new LocalProcessLauncher());
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

  /** What a wrapper between the send and the receive records of the hand-over. */
  private static final class Source extends InputStream implements DirectSendSource {
    final SendStream send;
    final List<String> events = new ArrayList<>();
    boolean taken;

    Source(SendStream send) {
      this.send = send;
    }

    @Override
    public int read() {
      throw new AssertionError("a piped stream must not be read");
    }

    @Override
    public int read(byte[] b, int off, int len) {
      throw new AssertionError("a piped stream must not be read");
    }

    @Override
    public Optional<SendStream> pendingSend() {
      return taken ? Optional.empty() : Optional.of(send);
    }

    @Override
    public DirectSend takeOver() {
      taken = true;
      return new DirectSend() {
        @Override
        public SendStream send() {
          return send;
        }

        @Override
        public void received(OptionalLong bytes) {
          events.add("received " + bytes);
        }

        @Override
        public void sendEnded() {
          events.add("send ended");
        }

        @Override
        public void onStop(Runnable stop) {
          events.add("stop hook");
        }
      };
    }
  }

  private DatasetPath filesystemWithData(String name, int kib) {
    DatasetPath fs = ds(name);
    zfs.createFilesystem(fs, Map.of(), false);
    pool.writeRandom(fs.toString(), "data", kib * 1024);
    zfs.snapshot(List.of(fs), "s1");
    return fs;
  }

  @Test
  void aPipedReceiveReportsTheLengthAndTheGuidArrives() {
    DatasetPath a = filesystemWithData("pa", 2048);
    int before = launcher.started.size();
    Source source = new Source(zfs.send(SendRequest.full(a, "s1", Set.of())));
    DatasetPath b = ds("pb");

    zfs.receive(b, source, ReceiveOptions.defaults());
    source.send.finish();

    assertThat(launcher.started.subList(before, launcher.started.size()))
        .as("one pipeline: zfs send, then zfs recv -v")
        .extracting(argv -> argv.get(1))
        .containsExactly("send", "recv");
    assertThat(source.events).hasSize(2).first().isEqualTo("stop hook");
    long bytes = Long.parseLong(source.events.get(1).replaceAll("\\D", ""));
    assertThat(bytes).isBetween(2000L * 1024, 2200L * 1024);
    assertThat(zfs.listVersions(b).get(0).guid()).isEqualTo(zfs.listVersions(a).get(0).guid());
  }

  @Test
  void aSendThatFailsOnItsOwnIsTheCause() {
    DatasetPath a = filesystemWithData("qa", 64);
    Source source = new Source(zfs.send(SendRequest.full(a, "no_such_snapshot", Set.of())));

    assertThatThrownBy(() -> zfs.receive(ds("qb"), source, ReceiveOptions.defaults()))
        .isInstanceOf(ZfsException.class);

    assertThat(source.events).containsExactly("stop hook", "send ended");
    assertThatThrownBy(source.send::finish)
        .isInstanceOf(ZfsException.class)
        .hasMessageContaining("no_such_snapshot");
  }

  @Test
  void aReceiveThatFailsIsTheCauseAndTheSendEnds() {
    DatasetPath a = filesystemWithData("ra", 1024);
    DatasetPath existing = ds("rb");
    zfs.createFilesystem(existing, Map.of(), false);
    Source source = new Source(zfs.send(SendRequest.full(a, "s1", Set.of())));

    assertThatThrownBy(() -> zfs.receive(existing, source, ReceiveOptions.defaults()))
        .isInstanceOf(ZfsException.class)
        .hasMessageContaining("recv")
        .hasMessageContaining("exists");

    assertThat(source.events).as("the send died of the broken pipe").containsExactly("stop hook");
    source.send.close();
  }

  @Test
  void aStreamAlreadyReadIsCopiedNotPiped() throws Exception {
    DatasetPath a = filesystemWithData("sa", 64);
    SendStream send = zfs.send(SendRequest.full(a, "s1", Set.of()));
    byte[] all = send.data().readAllBytes();
    send.finish();
    int before = launcher.started.size();

    zfs.receive(ds("sb"), new ByteArrayInputStream(all), ReceiveOptions.defaults());

    assertThat(launcher.started.subList(before, launcher.started.size()))
        .extracting(argv -> argv.get(2))
        .as("no -v: not piped")
        .doesNotContain("-v");
    assertThat(zfs.listVersions(ds("sb")).get(0).guid())
        .isEqualTo(zfs.listVersions(a).get(0).guid());
  }
}
