package org.zrepl.zfs.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.zrepl.port.zfs.ZfsException;

/**
 * Runs short commands to completion through a {@link ProcessLauncher}: stdin closed at once, stdout
 * collected, stderr drained concurrently (its tail kept). Start and interruption failures become
 * {@link ZfsException}s with exit code -1.
 */
final class ShortCommandRunner {

  private final ProcessLauncher launcher;

  ShortCommandRunner(ProcessLauncher launcher) {
    this.launcher = Objects.requireNonNull(launcher, "launcher");
  }

  /** Runs {@code argv}; a non-zero exit is returned, not thrown. */
  CommandResult run(List<String> argv) {
    LaunchedProcess p = start(argv);
    try {
      p.stdin().close();
      StreamTail err = StreamTail.start(p.stderr(), StreamTail.DEFAULT_LIMIT, "zfs-stderr");
      String out = readAll(p.stdout());
      int exit = p.waitFor();
      return new CommandResult(argv, exit, out, err.await());
    } catch (IOException e) {
      p.kill();
      throw new ZfsException(argv, -1, "reading output failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      p.kill();
      Thread.currentThread().interrupt();
      throw new ZfsException(argv, -1, "interrupted while waiting for the command", e);
    }
  }

  /** Runs {@code argv} and throws the classified {@link ZfsException} if it fails. */
  CommandResult runChecked(List<String> argv) {
    CommandResult r = run(argv);
    if (!r.ok()) {
      throw ErrorClassifier.classify(r);
    }
    return r;
  }

  /** Starts {@code argv} for streaming use (send, receive). */
  LaunchedProcess start(List<String> argv) {
    try {
      return launcher.start(argv);
    } catch (IOException e) {
      throw new ZfsException(argv, -1, "cannot start command: " + e.getMessage(), e);
    }
  }

  private static String readAll(InputStream in) throws IOException {
    try (in) {
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      in.transferTo(buf);
      return buf.toString(StandardCharsets.UTF_8);
    }
  }

  /** Starts {@code first} piped into {@code second}; empty where the launcher cannot. */
  Optional<ProcessLauncher.Pipeline> startPiped(List<String> first, List<String> second) {
    try {
      return launcher.startPiped(first, second);
    } catch (IOException e) {
      throw new ZfsException(
          first,
          -1,
          "cannot start command piped into '" + String.join(" ", second) + "': " + e.getMessage(),
          e);
    }
  }

  /** Whether {@code other} starts its commands through the same launcher as this one. */
  boolean sameLauncher(ShortCommandRunner other) {
    return launcher == other.launcher;
  }
}
