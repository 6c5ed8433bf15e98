package org.zrepl.zfs.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import org.zrepl.port.zfs.SendStream;
import org.zrepl.port.zfs.ZfsException;

/**
 * A {@code zfs send}, started when its data is first asked for: {@link #data()} is the process's
 * stdout itself (nothing is buffered here), stderr is drained on its own thread keeping the last 64
 * KiB. A receive on the same launcher may instead start it {@linkplain #startPipedInto piped} into
 * {@code zfs recv}, so that the stream never passes through this process.
 */
final class ProcessSendStream implements SendStream {

  private final List<String> argv;
  private final ShortCommandRunner runner;
  private volatile LaunchedProcess process;
  private StreamTail stderr;
  private boolean finished;
  private boolean closed;
  private int exit = Integer.MIN_VALUE;
  private String errText = "";

  ProcessSendStream(List<String> argv, ShortCommandRunner runner) {
    this.argv = List.copyOf(argv);
    this.runner = runner;
  }

  List<String> argv() {
    return argv;
  }

  @Override
  public synchronized InputStream data() {
    return started().stdout();
  }

  /** Whether this send would run through the same launcher as {@code other}'s commands. */
  boolean launchedBy(ShortCommandRunner other) {
    return runner.sameLauncher(other);
  }

  /**
   * Starts this send with its stdout piped into {@code recvArgv}'s stdin and returns the receive;
   * empty if this send was started (or closed) already or its launcher cannot pipe.
   */
  synchronized Optional<LaunchedProcess> startPipedInto(List<String> recvArgv) {
    if (process != null || closed) {
      return Optional.empty();
    }
    Optional<ProcessLauncher.Pipeline> p = runner.startPiped(argv, recvArgv);
    p.ifPresent(pipeline -> attach(pipeline.first()));
    return p.map(ProcessLauncher.Pipeline::second);
  }

  private LaunchedProcess started() {
    if (closed) {
      throw new IllegalStateException("send stream already closed: " + String.join(" ", argv));
    }
    if (process == null) {
      attach(runner.start(argv));
    }
    return process;
  }

  private void attach(LaunchedProcess p) {
    try {
      p.stdin().close();
    } catch (IOException e) {
      // zfs send does not read stdin; a failure to close it changes nothing.
    }
    stderr = StreamTail.start(p.stderr(), StreamTail.DEFAULT_LIMIT, "zfs-send-stderr");
    process = p;
  }

  /**
   * Waits for the started send to exit and returns its exit status; its stderr is then {@link
   * #stderrText()}.
   */
  int awaitExit() throws InterruptedException {
    LaunchedProcess p;
    StreamTail err;
    synchronized (this) {
      if (exit != Integer.MIN_VALUE) {
        return exit;
      }
      p = started();
      err = stderr;
    }
    int e = p.waitFor();
    String text = err.await();
    synchronized (this) {
      exit = e;
      errText = text;
    }
    return e;
  }

  synchronized String stderrText() {
    return errText;
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
      closeQuietly(started().stdout());
      int e = awaitExit();
      finished = true;
      if (e != 0) {
        throw ErrorClassifier.classify(argv, e, stderrText(), null);
      }
    } catch (InterruptedException e) {
      kill();
      Thread.currentThread().interrupt();
      throw new ZfsException(argv, -1, "interrupted while waiting for zfs send", e);
    }
  }

  /** Kills the send if it runs; never throws, never blocks on this stream's lock. */
  void kill() {
    LaunchedProcess p = process;
    if (p != null) {
      p.kill();
    }
  }

  /** Kills the send unless it finished; never throws. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (!finished && process != null) {
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
