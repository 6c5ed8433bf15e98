package org.zrepl.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.zrepl.cli.inject.Wiring;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.port.zfs.ZfsCapabilities;
import org.zrepl.zfs.fake.InMemoryZfs;

/**
 * The training run of the class-data-sharing archive that bin/zrepl gives every command (the build
 * and the package's postinst run it with {@code -XX:DumpLoadedClassList}, then make a static
 * archive of that list with {@code -Xshare:dump}), in one JVM:
 *
 * <ul>
 *   <li>the client commands {@code version}, {@code configcheck}, {@code status --mode dump} and
 *       {@code signal}, against a control socket in a fresh private directory where no daemon
 *       listens (status and signal fail to connect; nothing running is touched);
 *   <li>{@code daemon} on an in-memory ZFS, with {@code status --mode dump} and {@code signal
 *       wakeup} answered by it (the JSON both ends read and write, the control server), then
 *       stopped as by {@code SIGTERM};
 *   <li>{@code run --once} of a local job (a full and an incremental step, pruning both sides) and
 *       of a snap job, on an in-memory ZFS ({@link InMemoryZfs}, with the capabilities of OpenZFS
 *       and of zfs-fuse): the classes of the job graph, the replication engine and pruning, without
 *       starting a {@code zfs} process;
 *   <li>every class of zrepl's own packages in the jar, loaded without being initialized, so that
 *       the daemon's and the transports' classes are archived too.
 * </ul>
 *
 * <p>With one argument, writes the class path it ran with to that file (the archive is only valid
 * for it).
 */
final class CdsTraining {

  private CdsTraining() {}

  public static void main(String[] args) throws IOException {
    Path dir = Files.createTempDirectory("zrepl-cds-training");
    Path run = dir.resolve("run");
    Files.createDirectory(
        run, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Path config = dir.resolve("zrepl.yml");
    Files.writeString(
        config,
        """
        global:
          logging: [ { type: stdout, level: error, format: human } ]
          control: { sockpath: %s }
        jobs:
        - name: training
          type: snap
          filesystems: { "pool/src<": true }
          snapshotting: { type: periodic, prefix: zrepl_, interval: 10m }
          pruning: { keep: [ { type: last_n, count: 3 } ] }
        - name: mirror
          type: local
          mapping: { "pool/src<": "pool/dst" }
          snapshotting: { type: manual }
          pruning:
            keep_sender: [ { type: not_replicated }, { type: last_n, count: 3 } ]
            keep_receiver: [ { type: grid, grid: 1x1h(keep=all) | 24x1h, regex: "^s" } ]
        """
            .formatted(run.resolve("control")),
        StandardCharsets.UTF_8);
    PrintWriter none =
        new PrintWriter(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
    String c = config.toString();
    for (List<String> argv :
        List.of(
            List.of("version"),
            List.of("configcheck", "--config", c),
            List.of("status", "--mode", "dump", "--config", c),
            List.of("signal", "wakeup", "training", "--config", c))) {
      Main.run(argv.toArray(String[]::new), none, none);
    }
    for (ZfsCapabilities caps : List.of(ZfsCapabilities.openZfs21(), ZfsCapabilities.zfsFuse())) {
      runJobs(caps, c, none);
    }
    runDaemon(c, run.resolve("control"), none);
    loadOwnClasses();
    if (args.length == 1) {
      // The archive maps only for this class path: bin/zrepl compares it with the jar it runs,
      // because the JVM drops every archive, the JDK's own too, when the path differs.
      Files.writeString(
          Path.of(args[0]), System.getProperty("java.class.path") + "\n", StandardCharsets.UTF_8);
    }
    Files.delete(config);
    Files.delete(run);
    Files.delete(dir);
  }

  /** {@code run --once} of the local job (full, then incremental) and of the snap job. */
  private static void runJobs(ZfsCapabilities caps, String config, PrintWriter none) {
    InMemoryZfs zfs = sourceTree(caps);
    DatasetPath src = DatasetPath.of("pool/src");
    zfs.write(DatasetPath.of("pool/src/a"), "f", new byte[4096]);
    Main.CliContext context =
        new Main.CliContext(
            none,
            none,
            Main.memoize(() -> Wiring.withZfs(zfs)),
            List.of(),
            (signal, handler) -> true,
            false);
    for (String snapshot : List.of("s1", "s2")) {
      zfs.snapshot(List.of(src, DatasetPath.of("pool/src/a")), snapshot);
      runOnce(context, config, "mirror", caps);
    }
    runOnce(context, config, "training", caps);
  }

  /**
   * {@code daemon} with the training config on an in-memory ZFS, {@code status --mode dump} and
   * {@code signal wakeup mirror} against it, then the daemon's {@code TERM} handler. Fails if the
   * daemon does not serve its socket, a client fails, or the daemon does not stop with 0.
   */
  private static void runDaemon(String config, Path socket, PrintWriter none) {
    InMemoryZfs zfs = sourceTree(ZfsCapabilities.openZfs21());
    Map<String, Runnable> handlers = new ConcurrentHashMap<>();
    StringWriter daemonErr = new StringWriter();
    Main.CliContext context =
        new Main.CliContext(
            none,
            new PrintWriter(daemonErr, true),
            Main.memoize(() -> Wiring.withZfs(zfs)),
            List.of(),
            (signal, handler) -> {
              handlers.put(signal, handler);
              return true;
            },
            false);
    CompletableFuture<Integer> daemon =
        CompletableFuture.supplyAsync(
            () ->
                Main.run(
                    new String[] {"daemon", "--config", config}, none, context.err(), context));
    try {
      // Asked until it answers (within 60 s, while the daemon runs): asked once, as soon as the
      // socket file and the TERM handler were there, it was refused in the full unit suite
      // ("Connection refused").
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      String[] status = {"status", "--mode", "dump", "--config", config};
      StringWriter err = new StringWriter();
      while (Main.run(status, none, new PrintWriter(err, true)) != 0) {
        if (daemon.isDone() || System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "training: the daemon did not answer on " + socket + ": " + err + daemonErr);
        }
        err = new StringWriter();
        Thread.sleep(20);
      }
      String[] signal = {"signal", "wakeup", "mirror", "--config", config};
      if (Main.run(signal, none, new PrintWriter(err, true)) != 0) {
        throw new IllegalStateException("training: signal wakeup mirror: " + err + daemonErr);
      }
      Runnable term = handlers.get("TERM");
      if (term == null) {
        throw new IllegalStateException("training: the daemon installed no TERM handler");
      }
      term.run();
      int code = daemon.get(60, TimeUnit.SECONDS);
      if (code != 0) {
        throw new IllegalStateException("training: the daemon exited " + code + ": " + daemonErr);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("training: interrupted", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("training: the daemon did not stop: " + daemonErr, e);
    }
  }

  /** An in-memory ZFS on a fixed clock with the jobs' source tree: pool/src and pool/src/a. */
  private static InMemoryZfs sourceTree(ZfsCapabilities caps) {
    InMemoryZfs zfs =
        new InMemoryZfs(
            caps, Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC), 1);
    zfs.createPool("pool");
    zfs.createFilesystem(DatasetPath.of("pool/src"), Map.of(), false);
    zfs.createFilesystem(DatasetPath.of("pool/src/a"), Map.of(), false);
    return zfs;
  }

  /** A failing training run would leave its classes out of the archive unnoticed: it fails. */
  private static void runOnce(
      Main.CliContext context, String config, String job, ZfsCapabilities caps) {
    StringWriter err = new StringWriter();
    int code =
        Main.run(
            new String[] {"run", "--once", "--config", config, job},
            context.out(),
            new PrintWriter(err),
            context);
    if (code != 0) {
      throw new IllegalStateException(
          "training: run --once " + job + " on an in-memory " + caps.flavour() + ": " + err);
    }
  }

  /**
   * Loads (without initializing) every class of zrepl's own packages in the jar the training runs
   * from (its class path: the build and postinst give it the jar alone).
   */
  private static void loadOwnClasses() throws IOException {
    Path jar = Path.of(System.getProperty("java.class.path"));
    if (!jar.toString().endsWith(".jar") || !Files.isRegularFile(jar)) {
      return; // run from class directories (a test): nothing to archive
    }
    ClassLoader loader = CdsTraining.class.getClassLoader();
    try (JarFile file = new JarFile(jar.toFile())) {
      for (Enumeration<JarEntry> e = file.entries(); e.hasMoreElements(); ) {
        String name = e.nextElement().getName();
        if (name.startsWith("org/zrepl/") && name.endsWith(".class")) {
          String className = name.substring(0, name.length() - 6).replace('/', '.');
          try {
            Class.forName(className, false, loader);
          } catch (ClassNotFoundException | LinkageError ignored) {
            // a class that needs an optional dependency: not archived, loaded when used
          }
        }
      }
    }
  }
}
