package org.zrepl.zfs.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.zrepl.port.zfs.ZfsException;

/**
 * Feeds a caller's stream into a started {@code zfs recv}: copies through one 256 KiB buffer
 * (nothing is buffered whole) while stderr and stdout drain on their own threads.
 *
 * <ul>
 *   <li>zfs recv fails (it exits and the pipe breaks, or it exits non-zero at the end): its error
 *       is classified and thrown.
 *   <li>The caller's stream throws: zfs recv's stdin is closed, so it sees a truncated stream and
 *       stops (keeping partial state with {@code -s}); then the caller's error is rethrown, an
 *       {@link IOException} wrapped in {@link UncheckedIOException}, with zfs recv's failure
 *       attached as suppressed.
 * </ul>
 */
final class StreamReceiver {

  static final int BUFFER_SIZE = 256 * 1024;

  private StreamReceiver() {}

  static void copyInto(List<String> argv, LaunchedProcess p, InputStream in) {
    StreamTail err = StreamTail.start(p.stderr(), StreamTail.DEFAULT_LIMIT, "zfs-recv-stderr");
    StreamTail out = StreamTail.start(p.stdout(), StreamTail.DEFAULT_LIMIT, "zfs-recv-stdout");
    Exception inputFailure = null;
    byte[] buf = new byte[BUFFER_SIZE];
    OutputStream stdin = p.stdin();
    try {
      while (true) {
        int n;
        try {
          n = in.read(buf);
        } catch (IOException | RuntimeException e) {
          inputFailure = e;
          break;
        }
        if (n < 0) {
          break;
        }
        try {
          stdin.write(buf, 0, n);
        } catch (IOException e) {
          // zfs recv exited (or closed stdin) early; its exit status and stderr tell why.
          break;
        }
      }
    } finally {
      try {
        stdin.close();
      } catch (IOException e) {
        // broken pipe on flush: zfs recv is gone, handled by the exit status below
      }
    }
    int exit;
    String stderr;
    try {
      exit = p.waitFor();
      stderr = err.await();
      out.await();
    } catch (InterruptedException e) {
      p.kill();
      Thread.currentThread().interrupt();
      throw new ZfsException(argv, -1, "interrupted while waiting for zfs recv", e);
    }
    ZfsException zfsFailure = exit == 0 ? null : ErrorClassifier.classify(argv, exit, stderr, null);
    if (inputFailure != null) {
      RuntimeException rethrown =
          inputFailure instanceof RuntimeException r
              ? r
              : new UncheckedIOException(
                  "reading the stream for '" + String.join(" ", argv) + "' failed",
                  (IOException) inputFailure);
      if (zfsFailure != null) {
        rethrown.addSuppressed(zfsFailure);
      }
      throw rethrown;
    }
    if (zfsFailure != null) {
      throw zfsFailure;
    }
  }
}
