package org.zrepl.zfs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.zrepl.port.zfs.DatasetBusyException;
import org.zrepl.port.zfs.DatasetExistsException;
import org.zrepl.port.zfs.DatasetNotFoundException;
import org.zrepl.port.zfs.DestinationModifiedException;
import org.zrepl.port.zfs.UnsupportedZfsFeatureException;
import org.zrepl.port.zfs.ZfsException;

/** Classifies the real error texts captured in the golden files of every flavour. */
class ErrorClassifierTest {

  private static final Class<? extends ZfsException> OTHER = ZfsException.class;
  private static final Class<? extends ZfsException> NOT_FOUND = DatasetNotFoundException.class;
  private static final Class<? extends ZfsException> EXISTS = DatasetExistsException.class;
  private static final Class<? extends ZfsException> BUSY = DatasetBusyException.class;
  private static final Class<? extends ZfsException> MODIFIED = DestinationModifiedException.class;
  private static final Class<? extends ZfsException> UNSUPPORTED =
      UnsupportedZfsFeatureException.class;

  /** Golden case -> expected type, for every flavour where the command failed. */
  private static final Map<String, Class<? extends ZfsException>> EXPECTED =
      Map.ofEntries(
          Map.entry("err-get-missing", NOT_FOUND),
          Map.entry("list-versions-missing", NOT_FOUND),
          Map.entry("err-get-bad-property", OTHER),
          Map.entry("err-create-exists", EXISTS),
          Map.entry("err-create-no-parent", NOT_FOUND),
          Map.entry("err-snapshot-exists", EXISTS),
          Map.entry("err-snapshot-missing-fs", NOT_FOUND),
          Map.entry("err-destroy-missing-fs", NOT_FOUND),
          Map.entry("err-destroy-missing-snapshot", NOT_FOUND),
          Map.entry("err-destroy-held", BUSY),
          Map.entry("err-destroy-children", OTHER),
          Map.entry("err-hold-twice", EXISTS),
          Map.entry("err-hold-missing", NOT_FOUND),
          Map.entry("err-release-not-held", NOT_FOUND),
          Map.entry("err-rollback-later", OTHER),
          Map.entry("err-rollback-missing", NOT_FOUND),
          Map.entry("err-send-missing", NOT_FOUND),
          Map.entry("err-send-missing-from", NOT_FOUND),
          Map.entry("err-set-bad-value", OTHER),
          Map.entry("err-inherit-missing", NOT_FOUND),
          Map.entry("err-recv-garbage", OTHER),
          Map.entry("err-recv-exists", EXISTS),
          Map.entry("err-recv-incremental-mismatch", MODIFIED),
          Map.entry("err-recv-newer-snapshot", MODIFIED),
          Map.entry("err-recv-modified", MODIFIED),
          Map.entry("err-recv-truncated", OTHER),
          Map.entry("err-recv-partial-exists", BUSY),
          Map.entry("err-recv-abort-nothing", OTHER),
          Map.entry("err-bookmark-exists", EXISTS),
          Map.entry("err-bookmark-missing-snapshot", NOT_FOUND));

  /** Where a flavour differs, with the reason. */
  private static final Map<String, Class<? extends ZfsException>> ZFS_FUSE =
      Map.ofEntries(
          // zfs-fuse has no -s/-A/-t: these fail with "invalid option"
          Map.entry("err-recv-truncated", UNSUPPORTED),
          Map.entry("err-recv-partial-exists", UNSUPPORTED),
          Map.entry("err-recv-abort-nothing", UNSUPPORTED),
          Map.entry("err-unsupported-recv-s", UNSUPPORTED),
          Map.entry("err-unsupported-recv-o", UNSUPPORTED),
          Map.entry("err-unsupported-send-t", UNSUPPORTED),
          Map.entry("bookmark", UNSUPPORTED),
          Map.entry("err-bookmark-exists", UNSUPPORTED),
          Map.entry("err-bookmark-missing-snapshot", UNSUPPORTED),
          Map.entry("holds", UNSUPPORTED),
          Map.entry("probe-holds", UNSUPPORTED),
          // it does not know bookmarks or comma lists: the name itself is rejected
          Map.entry("err-destroy-missing-bookmark", OTHER),
          Map.entry("err-destroy-batch", OTHER),
          // "too many arguments" is a usage error like any other
          Map.entry("snapshot-multi", OTHER));

  private static final Map<String, Class<? extends ZfsException>> OPENZFS =
      Map.ofEntries(
          Map.entry("err-destroy-missing-bookmark", NOT_FOUND),
          Map.entry("err-destroy-batch", NOT_FOUND),
          Map.entry("probe-holds", NOT_FOUND),
          // a corrupt token (the fake one in the golden case)
          Map.entry("err-unsupported-send-t", OTHER),
          // OpenZFS has -s and -o; the target exists by then (created by the -s case)
          Map.entry("err-unsupported-recv-o", EXISTS),
          Map.entry("err-recv-partial-exists", EXISTS),
          Map.entry("recv-incremental-missing-target", NOT_FOUND));

  static Stream<Arguments> failedGoldenCommands() {
    List<Arguments> out = new ArrayList<>();
    for (String flavour : Golden.flavours()) {
      Map<String, Class<? extends ZfsException>> specific =
          flavour.equals(Golden.ZFS_FUSE) ? ZFS_FUSE : OPENZFS;
      List<String> names = new ArrayList<>(EXPECTED.keySet());
      specific.keySet().stream().filter(n -> !EXPECTED.containsKey(n)).forEach(names::add);
      for (String name : names) {
        if (!Golden.exists(flavour, name) || Golden.of(flavour, name).exit() == 0) {
          continue;
        }
        out.add(Arguments.of(flavour, name, specific.getOrDefault(name, EXPECTED.get(name))));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @MethodSource("failedGoldenCommands")
  void classifiesRealErrorTexts(String flavour, String name, Class<?> expected) {
    Golden g = Golden.of(flavour, name);
    List<String> argv = List.of("sh", "-c", g.cmd());
    ZfsException e = ErrorClassifier.classify(g.result(argv));

    assertThat(e).isExactlyInstanceOf(expected);
    assertThat(e.argv()).isEqualTo(argv);
    assertThat(e.exitCode()).isEqualTo(g.exit());
    assertThat(e.stderr()).isNotBlank();
    assertThat(e.getMessage()).startsWith("'sh -c " + g.cmd() + "' exited with status " + g.exit());
  }

  @Test
  @SuppressWarnings("StringConcatToTextBlock") // the exact bytes of zfs' stderr read better so
  void matchesMessagesWrappedOverTwoLines() {
    ZfsException e =
        ErrorClassifier.classify(
            new CommandResult(
                List.of("zfs", "recv", "p/b"),
                1,
                "",
                "cannot receive incremental stream: destination p/b has been modified\n"
                    + "since most recent snapshot\n"));
    assertThat(e).isInstanceOf(DestinationModifiedException.class);
    assertThat(e.getMessage())
        .isEqualTo(
            "'zfs recv p/b' exited with status 1: cannot receive incremental stream: destination"
                + " p/b has been modified\nsince most recent snapshot");
  }

  @Test
  void usesStdoutWhenStderrIsEmpty() {
    ZfsException e =
        ErrorClassifier.classify(
            new CommandResult(
                List.of("zfs", "holds", "p@s"),
                255,
                "internal error: /usr/lib/zfs/pyzfs.py not found\n",
                ""));
    assertThat(e).isInstanceOf(UnsupportedZfsFeatureException.class);
    assertThat(e.stderr()).contains("pyzfs.py");
  }

  @Test
  void everyExpectedGoldenCaseExistsForZfsFuse() {
    for (String name : EXPECTED.keySet()) {
      assertThat(Golden.exists(Golden.ZFS_FUSE, name)).as(name).isTrue();
    }
  }
}
