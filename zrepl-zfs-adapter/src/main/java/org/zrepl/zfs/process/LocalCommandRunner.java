package org.zrepl.zfs.process;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.zrepl.port.process.CommandOutcome;
import org.zrepl.port.process.CommandRequest;
import org.zrepl.port.process.CommandRunner;

/**
 * Runs commands here with {@link ProcessBuilder}: stdin empty, stdout and stderr merged into one
 * output of which the last {@value #OUTPUT_LIMIT} bytes are kept. On timeout the command and its
 * descendants are killed forcibly.
 *
 * <p>Not {@code zfs.cli.ProcessLauncher}: that seam has no environment and may run commands over
 * ssh, while hooks always run on the host that takes the snapshot.
 */
public final class LocalCommandRunner implements CommandRunner {

  static final int OUTPUT_LIMIT = 64 * 1024;

  /** How long to wait for the output to end once the process is gone. */
  private static final Duration DRAIN_GRACE = Duration.ofSeconds(2);

  @Override
  public CommandOutcome run(CommandRequest request) {
    ProcessBuilder pb = new ProcessBuilder(request.argv()).redirectErrorStream(true);
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.environment().putAll(request.environment());
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      return new CommandOutcome.NotStarted(e.getMessage());
    }
    Tail tail = new Tail(process.getInputStream());
    Thread reader = new Thread(tail, "hook-output-" + process.pid());
    reader.setDaemon(true);
    reader.start();
    try {
      boolean exited = process.waitFor(request.timeout().toMillis(), TimeUnit.MILLISECONDS);
      if (!exited) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(DRAIN_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        reader.join(DRAIN_GRACE.toMillis());
        return new CommandOutcome.TimedOut(request.timeout(), tail.text());
      }
      reader.join(DRAIN_GRACE.toMillis());
      return new CommandOutcome.Exited(process.exitValue(), tail.text());
    } catch (InterruptedException e) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      return new CommandOutcome.NotStarted("interrupted while running " + request.argv());
    }
  }

  /** Reads a stream to its end, keeping the last {@link #OUTPUT_LIMIT} bytes. */
  private static final class Tail implements Runnable {
    private final InputStream in;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private boolean truncated;

    Tail(InputStream in) {
      this.in = in;
    }

    @Override
    public void run() {
      byte[] buf = new byte[8192];
      try (in) {
        int n;
        while ((n = in.read(buf)) > 0) {
          append(buf, n);
        }
      } catch (IOException e) {
        // the process was killed or closed its output; keep what was read
      }
    }

    private synchronized void append(byte[] buf, int n) {
      kept.write(buf, 0, n);
      if (kept.size() > 2 * OUTPUT_LIMIT) {
        byte[] all = kept.toByteArray();
        kept.reset();
        kept.write(all, all.length - OUTPUT_LIMIT, OUTPUT_LIMIT);
        truncated = true;
      }
    }

    synchronized String text() {
      byte[] all = kept.toByteArray();
      if (all.length > OUTPUT_LIMIT) {
        byte[] last = new byte[OUTPUT_LIMIT];
        System.arraycopy(all, all.length - OUTPUT_LIMIT, last, 0, OUTPUT_LIMIT);
        all = last;
        truncated = true;
      }
      String s = new String(all, StandardCharsets.UTF_8);
      return truncated ? "[output truncated to the last " + OUTPUT_LIMIT + " bytes]\n" + s : s;
    }
  }
}
