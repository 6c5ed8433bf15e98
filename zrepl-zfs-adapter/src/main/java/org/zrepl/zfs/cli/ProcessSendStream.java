package org.zrepl.zfs.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.zrepl.port.zfs.SendStream;
import org.zrepl.port.zfs.ZfsException;

/**
 * A running {@code zfs send}: {@link #data()} is the process's stdout itself (nothing is buffered
 * here), stderr is drained on its own thread keeping the last 64 KiB.
 */
final class ProcessSendStream implements SendStream {

  private final List<String> argv;
  private final LaunchedProcess process;
  private final StreamTail stderr;
  private boolean finished;
  private boolean closed;

  ProcessSendStream(List<String> argv, LaunchedProcess process) {
    this.argv = List.copyOf(argv);
    this.process = process;
    try {
      process.stdin().close();
    } catch (IOException e) {
      // zfs send does not read stdin; a failure to close it changes nothing.
    }
    this.stderr = StreamTail.start(process.stderr(), StreamTail.DEFAULT_LIMIT, "zfs-send-stderr");
  }

  @Override
  public InputStream data() {
    return process.stdout();
  }

  /**
   * Waits for {@code zfs send} to exit. Unread data is discarded by closing the pipe, so a caller
   * that stops reading early gets a failed send (broken pipe), never a hang.
   */
  @Override
  public synchronized void finish() {
    if (finished) {
      return;
    }
    if (closed) {
      throw new IllegalStateException("send stream already closed: " + String.join(" ", argv));
    }
    try {
      closeQuietly(process.stdout());
      int exit = process.waitFor();
      String err = stderr.await();
      finished = true;
      if (exit != 0) {
        throw ErrorClassifier.classify(argv, exit, err, null);
      }
    } catch (InterruptedException e) {
      process.kill();
      Thread.currentThread().interrupt();
      throw new ZfsException(argv, -1, "interrupted while waiting for zfs send", e);
    }
  }

  /** Kills the send unless it finished; never throws. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (!finished) {
      process.kill();
      closeQuietly(process.stdout());
    }
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException e) {
      // nothing left to release
    }
  }
}
