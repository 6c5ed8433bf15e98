package org.zrepl.zfs.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.zrepl.port.metrics.MetricsRegistry;

/**
 * Times every command another {@link ProcessLauncher} starts, from start until its exit status is
 * known, into zrepl's histograms: {@code zrepl_zfscmd_runtime{jobid,zfsbinary,zfsverb}} for every
 * command, and for the commands zrepl times per dataset {@code zrepl_zfs_snapshot_duration}, {@code
 * zrepl_zfs_bookmark_duration}, {@code zrepl_zfs_destroy_duration{dataset_type}} and {@code
 * zrepl_zfs_list_filesystem_versions_duration} (all with {@code filesystem}). The job is what
 * {@code currentJob} says on the thread that starts the command (the daemon passes its logging
 * context's job), {@code _nojobid} outside a job (as zrepl). zrepl's {@code zrepl_zfscmd_usertime}
 * and {@code _systemtime} are not exported: the JVM cannot read a child's resource usage.
 */
public final class TimedProcessLauncher implements ProcessLauncher {

  /** zrepl's buckets for {@code zrepl_zfscmd_*}, in seconds. */
  static final List<Double> CMD_BUCKETS =
      List.of(0.01, 0.1, 0.2, 0.5, 0.75, 1.0, 2.0, 5.0, 10.0, 60.0);

  /** client_golang's default buckets, which zrepl's {@code zrepl_zfs_*_duration} use. */
  static final List<Double> DEFAULT_BUCKETS =
      List.of(.005, .01, .025, .05, .1, .25, .5, 1.0, 2.5, 5.0, 10.0);

  private final ProcessLauncher inner;
  private final LongSupplier nanoTime;
  private final Supplier<String> currentJob;
  private final MetricsRegistry.Histogram runtime;
  private final MetricsRegistry.Histogram snapshot;
  private final MetricsRegistry.Histogram bookmark;
  private final MetricsRegistry.Histogram destroy;
  private final MetricsRegistry.Histogram listVersions;

  public TimedProcessLauncher(
      ProcessLauncher inner, MetricsRegistry r, Supplier<String> currentJob) {
    this(inner, r, currentJob, System::nanoTime);
  }

  TimedProcessLauncher(
      ProcessLauncher inner,
      MetricsRegistry r,
      Supplier<String> currentJob,
      LongSupplier nanoTime) {
    this.inner = Objects.requireNonNull(inner, "inner");
    this.currentJob = Objects.requireNonNull(currentJob, "currentJob");
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    runtime =
        r.histogram(
            "zrepl_zfscmd_runtime",
            "number of seconds that the command took from start until wait returned",
            CMD_BUCKETS,
            "jobid",
            "zfsbinary",
            "zfsverb");
    snapshot =
        r.histogram(
            "zrepl_zfs_snapshot_duration",
            "Seconds it took to create a snapshot a given filesystem",
            DEFAULT_BUCKETS,
            "filesystem");
    bookmark =
        r.histogram(
            "zrepl_zfs_bookmark_duration",
            "Duration it took to bookmark a given snapshot",
            DEFAULT_BUCKETS,
            "filesystem");
    destroy =
        r.histogram(
            "zrepl_zfs_destroy_duration",
            "Duration it took to destroy a dataset",
            DEFAULT_BUCKETS,
            "dataset_type",
            "filesystem");
    listVersions =
        r.histogram(
            "zrepl_zfs_list_filesystem_versions_duration",
            "Seconds it took for listing the versions of a given filesystem",
            DEFAULT_BUCKETS,
            "filesystem");
  }

  @Override
  public LaunchedProcess start(List<String> argv) throws IOException {
    String jobId = jobId();
    long start = nanoTime.getAsLong();
    return timed(argv, jobId, start, inner.start(argv));
  }

  @Override
  public Optional<Pipeline> startPiped(List<String> first, List<String> second) throws IOException {
    String jobId = jobId();
    long start = nanoTime.getAsLong();
    return inner
        .startPiped(first, second)
        .map(
            p ->
                new Pipeline(
                    timed(first, jobId, start, p.first()),
                    timed(second, jobId, start, p.second())));
  }

  private String jobId() {
    String job = currentJob.get();
    return job == null || job.isEmpty() ? "_nojobid" : job;
  }

  private LaunchedProcess timed(List<String> argv, String jobId, long start, LaunchedProcess p) {
    return new LaunchedProcess() {
      private boolean observed;

      @Override
      public OutputStream stdin() {
        return p.stdin();
      }

      @Override
      public InputStream stdout() {
        return p.stdout();
      }

      @Override
      public InputStream stderr() {
        return p.stderr();
      }

      @Override
      public int waitFor() throws InterruptedException {
        int exit = p.waitFor();
        synchronized (this) {
          if (!observed) {
            observed = true;
            observe(argv, jobId, (nanoTime.getAsLong() - start) / 1e9);
          }
        }
        return exit;
      }

      @Override
      public void kill() {
        p.kill();
      }
    };
  }

  /** Records one finished command; the per-dataset histograms by the shape of its argv. */
  void observe(List<String> argv, String jobId, double seconds) {
    if (argv.size() < 2) {
      return;
    }
    runtime.observe(seconds, jobId, argv.get(0), argv.get(1));
    String last = argv.get(argv.size() - 1);
    switch (argv.get(1)) {
      case "snapshot" -> {
        for (String a : argv.subList(2, argv.size())) {
          if (a.contains("@") && !a.startsWith("-")) {
            snapshot.observe(seconds, a.substring(0, a.indexOf('@')));
          }
        }
      }
      case "bookmark" -> bookmark.observe(seconds, filesystemOf(argv.get(argv.size() - 2)));
      case "destroy" -> destroy.observe(seconds, datasetType(last), filesystemOf(last));
      case "get" -> {
        // ZfsCommands.listVersions: zfs get -Hp -d 1 [-t snapshot,bookmark] -o COLS PROPS FS...
        int cols = argv.indexOf("name,property,value");
        if (argv.contains("-d") && cols > 0) {
          argv.subList(Math.min(cols + 2, argv.size()), argv.size())
              .forEach(fs -> listVersions.observe(seconds, fs));
        }
      }
      default -> {}
    }
  }

  private static String filesystemOf(String name) {
    int at = name.indexOf('@');
    int hash = name.indexOf('#');
    int cut = at >= 0 ? at : hash;
    return cut >= 0 ? name.substring(0, cut) : name;
  }

  private static String datasetType(String name) {
    if (name.contains("@")) {
      return "snapshot";
    }
    return name.contains("#") ? "bookmark" : "filesystem";
  }
}
