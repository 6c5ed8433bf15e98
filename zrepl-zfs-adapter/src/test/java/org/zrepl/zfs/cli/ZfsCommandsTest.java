package org.zrepl.zfs.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.port.zfs.ReceiveOptions;
import org.zrepl.port.zfs.SendFlag;
import org.zrepl.port.zfs.SendRequest;

class ZfsCommandsTest {

  private static final DatasetPath FS = DatasetPath.of("pool/fs");

  @Test
  void sendFullIncrementalIntermediatesAndResume() {
    assertThat(ZfsCommands.send(SendRequest.full(FS, "a", Set.of())))
        .containsExactly("zfs", "send", "pool/fs@a");
    assertThat(
            ZfsCommands.send(
                SendRequest.incremental(
                    FS,
                    "#b",
                    "c",
                    Set.of(SendFlag.COMPRESSED, SendFlag.RAW, SendFlag.LARGE_BLOCKS))))
        .containsExactly("zfs", "send", "-w", "-L", "-c", "-i", "pool/fs#b", "pool/fs@c");
    assertThat(ZfsCommands.send(SendRequest.intermediates(FS, "a", "c", Set.of())))
        .containsExactly("zfs", "send", "-I", "pool/fs@a", "pool/fs@c");
    assertThat(ZfsCommands.send(SendRequest.resume(FS, "1-abc-def", Set.of(SendFlag.RAW))))
        .containsExactly("zfs", "send", "-t", "1-abc-def");
  }

  @Test
  void rejectsResumeTokensThatLookLikeOptions() {
    assertThatThrownBy(() -> ZfsCommands.send(SendRequest.resume(FS, "-n", Set.of())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("malformed resume token '-n'");
  }

  @Test
  void receiveWithEveryOption() {
    ReceiveOptions o =
        new ReceiveOptions(
            true, true, true, Map.of("mountpoint", "none", "canmount", "off"), Set.of("zrepl:x"));
    assertThat(ZfsCommands.receive(FS, o))
        .containsExactly(
            "zfs",
            "recv",
            "-F",
            "-u",
            "-s",
            "-o",
            "canmount=off",
            "-o",
            "mountpoint=none",
            "-x",
            "zrepl:x",
            "pool/fs");
  }

  @Test
  void batchedDestroySplitsVeryLongLists() {
    List<String> names =
        IntStream.range(0, 2000).mapToObj(i -> String.format("zrepl_%05d_xxxxxxxx", i)).toList();
    List<List<String>> commands = ZfsCommands.destroySnapshotsBatched(FS, names);

    assertThat(commands).hasSizeGreaterThan(1);
    assertThat(commands)
        .allSatisfy(
            c -> {
              assertThat(c.subList(0, 2)).containsExactly("zfs", "destroy");
              assertThat(c.get(2).length()).isLessThanOrEqualTo(ZfsCommands.MAX_BATCH_CHARS + 9);
            });
    long total = commands.stream().mapToLong(c -> c.get(2).substring(8).split(",").length).sum();
    assertThat(total).isEqualTo(2000);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a,b", "a@b", "a#b", "a/b", "ä"})
  void rejectsSnapshotNamesThatWouldChangeTheCommand(String name) {
    assertThatThrownBy(() -> ZfsCommands.destroySnapshotsBatched(FS, List.of(name)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("got '" + name + "'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "-r", "a b", "a,b", "a=b"})
  void rejectsPropertyNamesThatWouldChangeTheCommand(String property) {
    assertThatThrownBy(() -> ZfsCommands.set(FS, property, "v"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("got '" + property + "'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "-r", "a,b"})
  void rejectsHoldTagsThatWouldChangeTheCommand(String tag) {
    assertThatThrownBy(() -> ZfsCommands.hold("hold", FS, "s", tag))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("got '" + tag + "'");
  }

  @Test
  void createAndRollback() {
    assertThat(ZfsCommands.create(FS, Map.of("zrepl:placeholder", "on"), true))
        .containsExactly("zfs", "create", "-p", "-o", "zrepl:placeholder=on", "pool/fs");
    assertThat(ZfsCommands.rollback(FS, "a", true))
        .containsExactly("zfs", "rollback", "-r", "pool/fs@a");
    assertThat(ZfsCommands.bookmark(FS, "a", "b"))
        .containsExactly("zfs", "bookmark", "pool/fs@a", "pool/fs#b");
  }
}
