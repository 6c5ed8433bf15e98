package org.zrepl.zfs.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;

/** Runs commands on this host with {@link ProcessBuilder}; {@code zfs} is found on the PATH. */
public final class LocalProcessLauncher implements ProcessLauncher {

  @Override
  public LaunchedProcess start(List<String> argv) throws IOException {
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("argv must not be empty");
    }
    Process p = new ProcessBuilder(argv).start();
    return new LocalProcess(p);
  }

  /** {@link ProcessBuilder#startPipeline}: the JVM never holds the pipe between the two. */
  @Override
  public Optional<Pipeline> startPiped(List<String> first, List<String> second) throws IOException {
    if (first.isEmpty() || second.isEmpty()) {
      throw new IllegalArgumentException("argv must not be empty");
    }
    List<Process> ps =
        ProcessBuilder.startPipeline(
            List.of(new ProcessBuilder(first), new ProcessBuilder(second)));
    return Optional.of(new Pipeline(new LocalProcess(ps.get(0)), new LocalProcess(ps.get(1))));
  }

  private record LocalProcess(Process process) implements LaunchedProcess {

    @Override
    public OutputStream stdin() {
      return process.getOutputStream();
    }

    @Override
    public InputStream stdout() {
      return process.getInputStream();
    }

    @Override
    public InputStream stderr() {
      return process.getErrorStream();
    }

    @Override
    public int waitFor() throws InterruptedException {
      return process.waitFor();
    }

    @Override
    public void kill() {
      process.destroyForcibly();
    }
  }
}
