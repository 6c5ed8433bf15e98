package org.zrepl.zfs.cli;

import java.util.List;
import java.util.Locale;
import org.zrepl.port.zfs.DatasetBusyException;
import org.zrepl.port.zfs.DatasetExistsException;
import org.zrepl.port.zfs.DatasetNotFoundException;
import org.zrepl.port.zfs.DestinationModifiedException;
import org.zrepl.port.zfs.UnsupportedZfsFeatureException;
import org.zrepl.port.zfs.ZfsException;

/**
 * Maps a failed command's message to the port's exception type. ZFS has no machine-readable error
 * codes on its command line, so this matches the texts of {@code libzfs} and {@code zfs_main.c}
 * (golden files under {@code src/test/resources/golden/<flavour>/err-*}). The message is compared
 * with whitespace collapsed, because ZFS wraps some messages over two lines.
 */
final class ErrorClassifier {

  private enum Kind {
    UNSUPPORTED,
    MODIFIED,
    BUSY,
    EXISTS,
    NOT_FOUND,
    OTHER
  }

  // Checked in order: the first list with a matching fragment wins.
  private static final List<Rule> RULES =
      List.of(
          new Rule(
              Kind.UNSUPPORTED,
              List.of(
                  "invalid option",
                  "unrecognized command",
                  "internal error: /usr/lib/zfs/pyzfs.py not found",
                  "operation not supported",
                  "pool must be upgraded",
                  "unsupported version or feature")),
          new Rule(
              Kind.MODIFIED,
              List.of(
                  "has been modified since most recent snapshot",
                  "does not match incremental source")),
          new Rule(
              Kind.BUSY,
              List.of(
                  "is busy",
                  // OpenZFS 2.3 says this instead of "dataset is busy" for a held snapshot
                  "it's being held",
                  "contains partially-complete state")),
          new Rule(
              Kind.EXISTS,
              List.of(
                  "already exists",
                  "exists must specify -f to overwrite it",
                  "bookmark exists",
                  "destination has snapshots")),
          new Rule(
              Kind.NOT_FOUND,
              List.of(
                  "does not exist",
                  "could not find any snapshots to destroy",
                  "no such tag on this dataset",
                  "no such pool",
                  "no such dataset")));

  private record Rule(Kind kind, List<String> fragments) {}

  private ErrorClassifier() {}

  /** The exception for {@code result}, which must have failed. */
  static ZfsException classify(CommandResult result) {
    return classify(result.argv(), result.exitCode(), result.diagnostics(), null);
  }

  static ZfsException classify(List<String> argv, int exitCode, String message, Throwable cause) {
    ZfsException e =
        switch (kindOf(message)) {
          case UNSUPPORTED -> new UnsupportedZfsFeatureException(argv, exitCode, message);
          case MODIFIED -> new DestinationModifiedException(argv, exitCode, message);
          case BUSY -> new DatasetBusyException(argv, exitCode, message);
          case EXISTS -> new DatasetExistsException(argv, exitCode, message);
          case NOT_FOUND -> new DatasetNotFoundException(argv, exitCode, message);
          case OTHER -> new ZfsException(argv, exitCode, message, cause);
        };
    if (cause != null && e.getCause() == null) {
      e.initCause(cause);
    }
    return e;
  }

  private static Kind kindOf(String message) {
    String m = normalize(message);
    for (Rule r : RULES) {
      for (String f : r.fragments()) {
        if (m.contains(f)) {
          return r.kind();
        }
      }
    }
    return Kind.OTHER;
  }

  static String normalize(String message) {
    return message.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").strip();
  }
}
