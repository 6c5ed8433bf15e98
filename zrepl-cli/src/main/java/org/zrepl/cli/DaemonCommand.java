package org.zrepl.cli;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import org.zrepl.app.config.Config;
import org.zrepl.app.daemon.DaemonProcess;
import org.zrepl.app.daemon.DaemonStartException;
import org.zrepl.app.logging.Logging;
import org.zrepl.cli.inject.Wiring;
import picocli.CommandLine.Command;

/**
 * {@code zrepl daemon}: runs every job of the config until SIGTERM or SIGINT; SIGHUP reloads the
 * config. Fatal start-up problems are printed on stderr and exit 1.
 */
@Command(
    name = "daemon",
    mixinStandardHelpOptions = true,
    description = {
      "Run the jobs of the configuration until stopped: SIGTERM or SIGINT stop it (a running"
          + " replication is aborted cleanly), SIGHUP reloads the configuration. Normally started"
          + " by the service manager (dist/zrepl.service); logs go to the configured outlets.",
      "",
      "Example:",
      "  zrepl daemon --config /etc/zrepl/zrepl.yml"
    })
final class DaemonCommand implements Callable<Integer> {

  private final ZreplCommand top;

  DaemonCommand(ZreplCommand top) {
    this.top = top;
  }

  /** What the main thread is asked to do, in signal order. */
  private enum Request {
    RELOAD,
    STOP
  }

  /** Installs the handler, and says at start when the signal will never reach it. */
  private static void onSignal(Main.CliContext ctx, String signal, Runnable handler) {
    if (!ctx.signals().on(signal, handler)) {
      ctx.err()
          .println(
              "zrepl: warning: SIG"
                  + signal
                  + " is ignored by this process (its parent ignored it, e.g. nohup or a"
                  + " background job), so the JVM will not deliver it: "
                  + (signal.equals("HUP")
                      ? "kill -HUP and systemctl reload will not reload the configuration; restart"
                          + " the daemon to apply a changed one"
                      : "stop the daemon with another signal (TERM)"));
      ctx.err().flush();
    }
  }

  @Override
  public Integer call() throws InterruptedException {
    Logging.bindSlf4j();
    Main.CliContext ctx = top.context();
    Path file = top.configFile();
    Optional<Config> config = Configs.load(top, ctx.err());
    if (config.isEmpty()) {
      return 1;
    }
    // Before the jobs start: a signal that arrives while they start waits for them, instead of
    // meeting the JVM's default handling (which ends the process without stopping the jobs).
    LinkedBlockingQueue<Request> requests = new LinkedBlockingQueue<>();
    CountDownLatch stopped = new CountDownLatch(1);
    onSignal(ctx, "HUP", () -> requests.add(Request.RELOAD));
    onSignal(ctx, "TERM", () -> requests.add(Request.STOP));
    onSignal(ctx, "INT", () -> requests.add(Request.STOP));
    DaemonProcess process;
    Logging.useConsole(
        ctx.terminal(),
        line -> {
          ctx.err().println(line);
          ctx.err().flush();
        });
    try {
      Wiring wiring = ctx.wiring().get();
      process =
          DaemonProcess.start(
              file,
              config.get(),
              wiring.jobBuilders(),
              wiring.daemonServices(),
              wiring.clock(),
              VersionCommand.version(),
              line -> ctx.out().println(line));
    } catch (DaemonStartException e) {
      ctx.err().println("zrepl: error: cannot start daemon: " + e.getMessage());
      ctx.err().flush();
      return 1;
    }
    Thread hook =
        new Thread(
            () -> {
              requests.add(Request.STOP);
              awaitQuietly(stopped);
            },
            "zrepl-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      while (requests.take() == Request.RELOAD) {
        process.reload();
      }
    } finally {
      process.close();
      stopped.countDown();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the JVM is already exiting through the hook, which has now been released
    }
    return 0;
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
