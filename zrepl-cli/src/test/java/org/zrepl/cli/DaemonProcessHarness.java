package org.zrepl.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The real {@code zrepl} in its own JVM ({@code java -jar target/zrepl.jar}): a daemon whose stdout
 * is read line by line, and one-shot client commands.
 */
final class DaemonProcessHarness implements AutoCloseable {

  static final Path JAR = Path.of("target", "zrepl.jar").toAbsolutePath();

  private final Process process;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final List<String> seen = new ArrayList<>();

  private DaemonProcessHarness(Process process) {
    this.process = process;
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String l;
                while ((l = r.readLine()) != null) {
                  lines.add(l);
                }
              } catch (IOException ignored) {
                // the process ended
              }
            },
            "daemon-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  static DaemonProcessHarness start(Path config) throws IOException {
    return startUnder(List.of(), config);
  }

  /** The daemon started through {@code wrapper} (e.g. {@code nohup}). */
  static DaemonProcessHarness startUnder(List<String> wrapper, Path config) throws IOException {
    List<String> argv = new ArrayList<>(wrapper);
    argv.addAll(List.of("java", "-jar", JAR.toString(), "daemon", "--config", config.toString()));
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    return new DaemonProcessHarness(p);
  }

  long pid() {
    return process.pid();
  }

  /** Waits (blocking on the output, up to {@code timeout}) for a line matching {@code p}. */
  String await(Predicate<String> p, Duration timeout, String what) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      String l = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
      if (l == null) {
        throw new AssertionError(
            "no daemon output line "
                + what
                + " within "
                + timeout
                + "; output:\n"
                + String.join("\n", seen));
      }
      seen.add(l);
      if (p.test(l)) {
        return l;
      }
    }
  }

  String output() {
    lines.drainTo(seen);
    return String.join("\n", seen);
  }

  void signal(String sig) throws IOException, InterruptedException {
    Result r = run(List.of("kill", "-" + sig, Long.toString(process.pid())));
    if (r.code() != 0) {
      throw new AssertionError("kill -" + sig + " failed: " + r);
    }
  }

  /** Waits for the daemon to exit; its exit code. */
  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("daemon did not exit within " + timeout + "; output:\n" + output());
    }
    return process.exitValue();
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }

  /** A finished command. */
  record Result(int code, String out) {}

  /** Runs {@code zrepl args} in a new JVM. */
  static Result zrepl(String... args) throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>(List.of("java", "-jar", JAR.toString()));
    argv.addAll(List.of(args));
    return run(argv);
  }

  static Result run(List<String> argv) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(argv + " did not finish");
    }
    return new Result(p.exitValue(), out);
  }
}
