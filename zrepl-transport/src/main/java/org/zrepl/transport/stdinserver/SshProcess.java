package org.zrepl.transport.stdinserver;

import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running {@code ssh}: its stderr is logged line by line (the last {@value #TAIL_LINES} lines
 * kept for error messages), and the end of its stdout is reported with how ssh died.
 */
final class SshProcess {
  private static final Logger LOG = LoggerFactory.getLogger(SshProcess.class);

  static final int TAIL_LINES = 5;

  /** How long a process that ended its output gets to exit, and a closed one to end. */
  private static final long GRACE_MS = 2000;

  private final Process process;
  private final String describe;
  private final Deque<String> tail = new ArrayDeque<>();
  private final Thread stderrPump;

  SshProcess(Process process, String describe) {
    this.process = process;
    this.describe = describe;
    this.stderrPump = new Thread(this::pumpStderr, "ssh-stderr-" + process.pid());
    stderrPump.setDaemon(true);
    stderrPump.start();
  }

  String describe() {
    return describe;
  }

  private void pumpStderr() {
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        LOG.warn("{}: ssh: {}", describe, line);
        synchronized (tail) {
          tail.addLast(line);
          if (tail.size() > TAIL_LINES) {
            tail.removeFirst();
          }
        }
      }
    } catch (IOException e) {
      LOG.debug("{}: reading ssh's stderr ended: {}", describe, e.toString());
    }
  }

  /** The process's stdout; its end, when ssh failed, is an {@link IOException} saying how. */
  InputStream stdout() {
    return new FilterInputStream(process.getInputStream()) {
      @Override
      public int read() throws IOException {
        int b = super.read();
        return b < 0 ? ended() : b;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        return n < 0 ? ended() : n;
      }
    };
  }

  private int ended() throws IOException {
    if (exitStatus() == 0) {
      return -1;
    }
    throw new IOException(describe + ": " + death() + stderrTail());
  }

  /** -1 while running (after a grace period), else the exit status. */
  private int exitStatus() {
    try {
      if (process.waitFor(GRACE_MS, TimeUnit.MILLISECONDS)) {
        return process.exitValue();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return -1;
  }

  /** How the process ended, once its output ended. */
  String death() {
    int status = exitStatus();
    if (status < 0) {
      return "ssh closed its output but is still running";
    }
    // Give the stderr pump the last lines before they are quoted.
    joinPump();
    return status == 255
        ? "ssh failed (exit status 255: connection or authentication)"
        : "ssh exited with status " + status + " (the peer's zrepl stdinserver failed)";
  }

  /** {@code ": <last stderr lines>"}, or nothing when ssh printed nothing. */
  String stderrTail() {
    synchronized (tail) {
      return tail.isEmpty() ? "" : ": " + String.join(" / ", tail);
    }
  }

  private void joinPump() {
    try {
      stderrPump.join(GRACE_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Sends the kill signal to ssh and anything it started; does not wait. */
  void killNow() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  /** Kills ssh (and anything it started) and waits a moment for it to be gone. */
  void kill() {
    killNow();
    try {
      process.waitFor(GRACE_MS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Ends our input to ssh, gives it a moment to finish the session, then kills it. */
  void close() {
    try {
      process.getOutputStream().close();
    } catch (IOException ignored) {
      // ssh is gone already.
    }
    if (exitStatus() < 0) {
      LOG.debug(
          "{}: ssh still running {} ms after the connection closed; killing it",
          describe,
          GRACE_MS);
      kill();
    }
    try {
      process.getInputStream().close();
    } catch (IOException ignored) {
      // Nothing left to read.
    }
  }
}
