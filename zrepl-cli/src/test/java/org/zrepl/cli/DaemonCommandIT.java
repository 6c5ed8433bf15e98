package org.zrepl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.port.zfs.ZfsCapabilities;
import org.zrepl.zfs.fake.InMemoryZfs;

/**
 * {@code zrepl daemon} in-process over InMemoryZfs with a real control socket; signals are
 * delivered by calling the handlers the command registered.
 */
class DaemonCommandIT {

  @TempDir Path tmp;

  @Test
  void runsUntilTermAndReloadsOnHup() throws Exception {
    Path socket = tmp.resolve("run").resolve("control");
    Path config = tmp.resolve("zrepl.yml");
    String base =
        """
        global:
          control:
            sockpath: %s
          logging:
            - type: stdout
              level: info
              format: logfmt
              time: false
        jobs:
        """
            .formatted(socket);
    String job =
        """
        - name: %s
          type: snap
          filesystems: { "pool<": true }
          snapshotting: { type: manual }
          pruning: { keep: [ { type: last_n, count: 1 } ] }
        """;
    Files.writeString(config, base + job.formatted("one"));
    InMemoryZfs zfs = new InMemoryZfs(ZfsCapabilities.openZfs21(), Clock.systemUTC(), 1);
    zfs.createPool("pool");
    zfs.createFilesystem(DatasetPath.of("pool/a"), Map.of(), false);

    Map<String, Runnable> handlers = new ConcurrentHashMap<>();
    CountDownLatch registered = new CountDownLatch(3);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    PrintWriter o = new PrintWriter(out, true);
    Main.CliContext ctx =
        new Main.CliContext(
            o,
            new PrintWriter(err, true),
            Main.memoize(() -> Cli.wiring(() -> zfs, Clock.systemUTC())),
            List.of(),
            (sig, h) -> {
              handlers.put(sig, h);
              registered.countDown();
              return true;
            },
            false);
    ExecutorService main = Executors.newSingleThreadExecutor();
    try {
      Future<Integer> code =
          main.submit(
              () ->
                  Main.run(
                      new String[] {"daemon", "--config", config.toString()}, o, ctx.err(), ctx));
      assertThat(registered.await(30, TimeUnit.SECONDS)).as(err.toString()).isTrue();
      // the handlers are registered before the jobs start; the control socket comes with them
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!Files.exists(socket) && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(socket).exists();
      assertThat(Cli.run("status", "--config", config.toString()).out()).contains("job one (snap)");

      Files.writeString(config, base + job.formatted("one") + job.formatted("two"));
      handlers.get("HUP").run();
      handlers.get("TERM").run();
      assertThat(code.get(30, TimeUnit.SECONDS)).isZero();
      assertThat(out.toString())
          .contains("level=info subsystem=daemon msg=\"daemon starting\"")
          .contains("msg=\"configuration reloaded\" kept=[one] restarted=[] started=[two]")
          .contains("msg=\"daemon stopped\"");
      assertThat(socket).doesNotExist();
    } finally {
      main.shutdownNow();
    }
  }

  @Test
  void invalidConfigIsPrintedAndExitsOne() throws Exception {
    Path config = tmp.resolve("zrepl.yml");
    Files.writeString(config, "jobs:\n- name: x\n  type: bogus\n");
    Cli r = Cli.run(List.of(), () -> null, "daemon", "--config", config.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("error: unknown job type 'bogus'").contains("1 error");
  }
}
