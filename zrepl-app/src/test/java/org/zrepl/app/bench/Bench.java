package org.zrepl.app.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import org.zrepl.app.config.ConfigLoader;
import org.zrepl.app.config.Job;
import org.zrepl.app.config.LoadResult;
import org.zrepl.app.job.LocalJob;
import org.zrepl.app.job.ReplicationJob;
import org.zrepl.app.job.ReplicationJobState;
import org.zrepl.app.job.Scheduler;
import org.zrepl.app.replication.Sleeper;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.prune.PruneContext;
import org.zrepl.domain.prune.PrunePlanner;
import org.zrepl.domain.prune.ReplicationCursor;
import org.zrepl.domain.replication.PlanningPolicy;
import org.zrepl.domain.replication.ReplicationPlanner;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.zfs.Zfs;
import org.zrepl.zfs.cli.CliZfs;
import org.zrepl.zfs.cli.LaunchedProcess;
import org.zrepl.zfs.cli.LocalProcessLauncher;
import org.zrepl.zfs.cli.ProcessLauncher;
import org.zrepl.zfs.process.LocalCommandRunner;

/**
 * The figures of {@code scripts/bench}, each measured in the same run. Not a test: a main run with
 * the shaded jar and the test classes on the class path.
 *
 * <pre>
 * Bench throughput POOL MIB   replication vs zfs send | zfs recv of the same snapshot
 * Bench noop POOL N           wall time of a cycle with nothing to do, per dataset
 * Bench plan FS SNAPS         planning + prune decisions in memory: CPU time and heap
 * </pre>
 */
public final class Bench {

  private static final Clock CLOCK = Clock.systemUTC();
  private static final Scheduler NO_LOOP =
      (at, task) -> {
        throw new IllegalStateException("the bench runs jobs once");
      };

  private Bench() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      throw new IllegalArgumentException("usage: Bench throughput|noop|plan ARG ARG");
    }
    switch (args[0]) {
      case "throughput" -> throughput(args[1], Integer.parseInt(args[2]));
      case "noop" -> noop(args[1], Integer.parseInt(args[2]));
      case "plan" -> plan(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
      default -> throw new IllegalArgumentException("unknown bench '" + args[0] + "'");
    }
  }

  // --- replication throughput ----------------------------------------------------------------

  static void throughput(String pool, int mib) throws Exception {
    Zfs zfs = new CliZfs(new LocalProcessLauncher());
    DatasetPath src = DatasetPath.of(pool + "/tp_src");
    zfs.createFilesystem(src, Map.of(), false);
    fill(mountpoint(zfs, src).resolve("data.bin"), mib);
    zfs.snapshot(List.of(src), "s1");
    double bestRaw = Double.MAX_VALUE;
    double bestOurs = Double.MAX_VALUE;
    double bestStep = Double.MAX_VALUE;
    long bytes = 0;
    for (int round = 1; round <= 3; round++) {
      String raw = pool + "/tp_raw" + round;
      long t0 = System.nanoTime();
      sh("zfs send " + src + "@s1 | zfs recv " + raw);
      double rawSeconds = (System.nanoTime() - t0) / 1e9;

      String yaml =
          """
          jobs:
          - name: bench_tp%3$d
            type: local
            mapping: { "%1$s": "%2$s/tp_ours%3$d" }
            snapshotting: { type: manual }
            pruning:
              keep_sender: [ { type: regex, regex: ".*" } ]
              keep_receiver: [ { type: regex, regex: ".*" } ]
          """
              .formatted(src, pool, round);
      ReplicationJob job = job(zfs, yaml, "bench_tp" + round);
      long t1 = System.nanoTime();
      ReplicationJobState s = job.runOnce();
      double ourSeconds = (System.nanoTime() - t1) / 1e9;
      check(s);
      double stepSeconds = s.replicationTimes().get(src).toNanos() / 1e9;
      bytes =
          s.lastReplication().orElseThrow().results().stream()
              .mapToLong(r -> ((org.zrepl.app.replication.FilesystemResult.Ok) r).bytes())
              .sum();
      System.out.printf(
          Locale.ROOT,
          "  round %d: raw zfs send|recv %.2f s; zrepl: the step %.2f s, the whole invocation"
              + " (listing, planning, step, pruning both sides) %.2f s%n",
          round,
          rawSeconds,
          stepSeconds,
          ourSeconds);
      bestRaw = Math.min(bestRaw, rawSeconds);
      bestOurs = Math.min(bestOurs, ourSeconds);
      bestStep = Math.min(bestStep, stepSeconds);
      zfs.destroyDataset(DatasetPath.of(raw), true);
      zfs.destroyDataset(DatasetPath.of(pool + "/tp_ours" + round), true);
    }
    double mb = bytes / 1048576.0;
    System.out.printf(
        Locale.ROOT,
        "throughput: stream %.1f MiB; raw %.1f MiB/s; zrepl step %.1f MiB/s, ratio %.3f"
            + " (aim >= 0.95); whole invocation %.1f MiB/s, ratio %.3f (best of 3 each)%n",
        mb,
        mb / bestRaw,
        mb / bestStep,
        bestRaw / bestStep,
        mb / bestOurs,
        bestRaw / bestOurs);
  }

  private static void fill(Path file, int mib) throws IOException {
    Random random = new Random(42);
    byte[] chunk = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (int i = 0; i < mib; i++) {
        random.nextBytes(chunk);
        out.write(chunk);
      }
    }
  }

  private static Path mountpoint(Zfs zfs, DatasetPath fs) {
    return Path.of(
        zfs.getProperties(fs.toString(), Set.of("mountpoint")).get("mountpoint").value());
  }

  private static void sh(String command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("sh", "-c", command).inheritIO().start();
    if (p.waitFor() != 0) {
      throw new IOException("'" + command + "' exited with status " + p.exitValue());
    }
  }

  // --- no-op cycle ---------------------------------------------------------------------------

  /** Counts {@code zfs} processes by subcommand. */
  private static final class CountingLauncher implements ProcessLauncher {
    private final ProcessLauncher delegate = new LocalProcessLauncher();
    final Map<String, Integer> counts = new ConcurrentSkipListMap<>();

    @Override
    public LaunchedProcess start(List<String> argv) throws IOException {
      counts.merge(argv.size() > 1 ? argv.get(1) : argv.get(0), 1, Integer::sum);
      return delegate.start(argv);
    }
  }

  static void noop(String pool, int n) throws Exception {
    CountingLauncher launcher = new CountingLauncher();
    Zfs zfs = new CliZfs(launcher);
    DatasetPath root = DatasetPath.of(pool + "/noop");
    zfs.createFilesystem(root, Map.of(), false);
    List<DatasetPath> children = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      DatasetPath c = root.child(String.format(Locale.ROOT, "d%03d", i));
      zfs.createFilesystem(c, Map.of(), false);
      children.add(c);
    }
    for (DatasetPath c : children) {
      zfs.snapshot(List.of(c), "s1");
    }
    String yaml =
        """
        jobs:
        - name: bench_noop
          type: local
          mapping: { "%1$s<": "%2$s/noop_dst", "%1$s": "!" }
          snapshotting: { type: periodic, prefix: zrepl_, interval: 1h }
          pruning:
            keep_sender: [ { type: not_replicated }, { type: last_n, count: 10 } ]
            keep_receiver: [ { type: last_n, count: 10 } ]
        """
            .formatted(root, pool);
    ReplicationJob job = job(zfs, yaml, "bench_noop");
    check(job.runOnce()); // snapshots (due: none yet) and replicates everything
    double best = Double.MAX_VALUE;
    for (int round = 1; round <= 3; round++) {
      launcher.counts.clear();
      long t0 = System.nanoTime();
      ReplicationJobState s = job.runOnce();
      double seconds = (System.nanoTime() - t0) / 1e9;
      check(s);
      if (s.lastReplication().orElseThrow().results().size() != n) {
        throw new IllegalStateException("expected " + n + " filesystems, got " + s);
      }
      System.out.printf(
          Locale.ROOT,
          "  no-op cycle %d: %.3f s, zfs processes %s%n",
          round,
          seconds,
          launcher.counts);
      best = Math.min(best, seconds);
    }
    System.out.printf(
        Locale.ROOT,
        "no-op cycle: %d datasets in %.3f s (best of 3) = %.4f s per dataset (aim < 0.05)%n",
        n,
        best,
        best / n);
  }

  // --- planning and pruning in memory --------------------------------------------------------

  static void plan(int filesystems, int snapshots) {
    Job.Local config =
        (Job.Local)
            load(
                """
                jobs:
                - name: bench_plan
                  type: local
                  mapping: { "pool<": "backup/pool" }
                  snapshotting: { type: manual }
                  pruning:
                    keep_sender:
                    - type: not_replicated
                    - type: last_n
                      count: 10
                    keep_receiver:
                    - type: grid
                      grid: 24x1h | 30x1d
                      regex: "^zrepl_"
                """,
                "bench_plan");
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    List<List<FilesystemVersion>> senders = new ArrayList<>(filesystems);
    List<List<FilesystemVersion>> receivers = new ArrayList<>(filesystems);
    long guid = 1;
    for (int f = 0; f < filesystems; f++) {
      List<FilesystemVersion> s = new ArrayList<>(snapshots);
      for (int i = 0; i < snapshots; i++) {
        s.add(
            FilesystemVersion.snapshot(
                String.format(Locale.ROOT, "zrepl_%05d", i),
                guid++,
                i + 1,
                t0.plus(Duration.ofHours(i))));
      }
      senders.add(s);
      receivers.add(s.subList(0, snapshots - 1)); // one new snapshot to send
    }
    measurePlan("cold", config, senders, receivers, snapshots);
    measurePlan("warm", config, senders, receivers, snapshots);
  }

  private static void measurePlan(
      String label,
      Job.Local config,
      List<List<FilesystemVersion>> senders,
      List<List<FilesystemVersion>> receivers,
      int snapshots) {
    int filesystems = senders.size();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    System.gc();
    long data = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    resetPeaks();
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long process0 = os.getProcessCpuTime();
    long cpu0 = threads.getCurrentThreadCpuTime();
    long wall0 = System.nanoTime();
    long steps = 0;
    long destroy = 0;
    PlanningPolicy policy = PlanningPolicy.defaults();
    for (int f = 0; f < filesystems; f++) {
      List<FilesystemVersion> s = senders.get(f);
      List<FilesystemVersion> r = receivers.get(f);
      steps += ReplicationPlanner.plan(s, r, policy) != null ? 1 : 0;
      FilesystemVersion base = r.get(r.size() - 1);
      PruneContext sc =
          PruneContext.withCursor(new ReplicationCursor(base.guid(), base.createTxg()))
              .protecting(Set.of(base.guid()));
      destroy += PrunePlanner.plan(s, config.pruning().keepSender(), sc).toDestroy().size();
      destroy +=
          PrunePlanner.plan(
                  r,
                  config.pruning().keepReceiver(),
                  PruneContext.none().protecting(Set.of(base.guid())))
              .toDestroy()
              .size();
    }
    double cpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
    double wall = (System.nanoTime() - wall0) / 1e9;
    double process = (os.getProcessCpuTime() - process0) / 1e9;
    long peak = peakHeap();
    System.out.printf(
        Locale.ROOT,
        "planning + prune (%s JVM): %d filesystems x %d snapshots: %d plans, %d destroy decisions;"
            + " CPU %.3f s (the planning thread; the whole process, JIT and GC included: %.3f s),"
            + " wall %.3f s (aim < 1 s CPU); heap: %.1f MiB the input data, peak %.1f MiB,"
            + " -Xmx %.0f MiB (aim < 256 MiB)%n",
        label,
        filesystems,
        snapshots,
        steps,
        destroy,
        cpu,
        process,
        wall,
        data / 1048576.0,
        peak / 1048576.0,
        Runtime.getRuntime().maxMemory() / 1048576.0);
  }

  private static void resetPeaks() {
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        p.resetPeakUsage();
      }
    }
  }

  /** The sum of the heap pools' peaks since the last reset (an upper bound of the true peak). */
  private static long peakHeap() {
    long sum = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        sum += p.getPeakUsage().getUsed();
      }
    }
    return sum;
  }

  // --- helpers -------------------------------------------------------------------------------

  private static Job load(String yaml, String name) {
    LoadResult r = ConfigLoader.parse("bench.yml", yaml, Path.of("/tmp"));
    if (r instanceof LoadResult.Invalid i) {
      throw new IllegalStateException(i.render());
    }
    return ((LoadResult.Valid) r).config().job(name).orElseThrow();
  }

  private static ReplicationJob job(Zfs zfs, String yaml, String name) {
    return LocalJob.of(
        (Job.Local) load(yaml, name),
        zfs,
        new LocalCommandRunner(),
        CLOCK,
        NO_LOOP,
        Sleeper.system(),
        Runnable::run);
  }

  private static void check(ReplicationJobState s) {
    if (!s.succeeded()) {
      throw new IllegalStateException("job failed: " + String.join("\n", s.errors()));
    }
  }
}
