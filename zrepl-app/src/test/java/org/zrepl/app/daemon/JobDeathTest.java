package org.zrepl.app.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.zrepl.app.TestAdapters;
import org.zrepl.app.config.Config;
import org.zrepl.app.config.ConfigLoader;
import org.zrepl.app.config.Job;
import org.zrepl.app.config.LoadResult;
import org.zrepl.app.logging.LogFormat;
import org.zrepl.app.logging.LogLevel;
import org.zrepl.app.logging.LogOutlet;
import org.zrepl.app.logging.Logging;
import org.zrepl.app.testing.ManualClock;
import org.zrepl.app.testing.ManualScheduler;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.port.transport.control.ControlRequest;
import org.zrepl.port.zfs.Zfs;
import org.zrepl.port.zfs.ZfsCapabilities;
import org.zrepl.transport.prometheus.PrometheusMetricsRegistry;
import org.zrepl.zfs.fake.InMemoryZfs;
import org.zrepl.zfs.process.LocalCommandRunner;

/**
 * A job whose loop dies of a throwable (here an {@link AssertionError} or a {@link
 * StackOverflowError} out of its ZFS) is failed visibly: an ERROR log line with the job and the
 * cause, {@code failed} with {@code died:} in the status, {@code zrepl_daemon_job_up} 0; the daemon
 * keeps answering and the other jobs keep running; after the backoff the job is built again and
 * runs.
 */
class JobDeathTest {

  private static final String YAML =
      """
      jobs:
      - name: bad
        type: snap
        filesystems: { "pool/a": true }
        snapshotting: { type: periodic, prefix: zrepl_, interval: 1h }
        pruning: { keep: [ { type: last_n, count: 5 } ] }
      - name: good
        type: snap
        filesystems: { "pool/b": true }
        snapshotting: { type: periodic, prefix: zrepl_, interval: 1h }
        pruning: { keep: [ { type: last_n, count: 5 } ] }
      - name: local_bad
        type: local
        mapping: { "pool/c": "pool/backup/c" }
        snapshotting: { type: manual }
        pruning: { keep_sender: [], keep_receiver: [] }
      """;

  private final InMemoryZfs zfs =
      new InMemoryZfs(ZfsCapabilities.openZfs21(), Clock.systemUTC(), 1);
  private final AtomicBoolean failing = new AtomicBoolean(true);
  private final AtomicBoolean overflowing = new AtomicBoolean(true);
  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-05T10:00:00Z"));
  private final ManualScheduler restarts = new ManualScheduler(clock);
  private final List<String> log = new CopyOnWriteArrayList<>();
  private final Daemon daemon;
  private final Config config;
  private final ControlService control;
  private final PrometheusMetricsRegistry metrics = new PrometheusMetricsRegistry(false);

  JobDeathTest() {
    zfs.createPool("pool");
    for (String fs : List.of("pool/a", "pool/b", "pool/c", "pool/backup")) {
      zfs.createFilesystem(DatasetPath.of(fs), Map.of(), false);
    }
    Logging.install(
        List.of(
            new LogOutlet(
                LogLevel.INFO, LogFormat.HUMAN, true, ZoneOffset.UTC, (l, s) -> log.add(s))));
    Zfs broken =
        failingOn(zfs, "listDatasets", failing, () -> new AssertionError("fake zfs: boom"));
    Zfs deep =
        failingOn(
            zfs, "listVersions", overflowing, () -> new StackOverflowError("fake zfs: too deep"));
    JobDependencies deps = TestAdapters.deps(zfs, new LocalCommandRunner(), Clock.systemUTC());
    JobDependencies localDeps =
        TestAdapters.deps(deep, new LocalCommandRunner(), Clock.systemUTC());
    JobBuilders builders =
        new JobBuilders()
            .register(
                Job.Snap.class,
                c ->
                    SnapJobRuntime.of(
                        c,
                        c.name().equals("bad") ? broken : zfs,
                        deps.hooks(),
                        deps.clock(),
                        deps.sleeper()))
            .register(Job.Local.class, c -> ActiveJobRuntime.local(c, localDeps));
    daemon = new Daemon(builders, restarts, clock);
    LoadResult r = ConfigLoader.parse("zrepl.yml", YAML, Path.of("/tmp"));
    if (r instanceof LoadResult.Invalid i) {
      throw new AssertionError(i.render());
    }
    config = ((LoadResult.Valid) r).config();
    Metrics.register(metrics, Metrics.Sources.of(daemon), "1", Instant.EPOCH, clock);
    control = new ControlService(daemon, "1", Instant.EPOCH, Optional.empty());
  }

  /** {@code real}, except that {@code method} throws what {@code error} makes while failing. */
  private static Zfs failingOn(
      Zfs real, String method, AtomicBoolean failing, java.util.function.Supplier<Error> error) {
    return (Zfs)
        Proxy.newProxyInstance(
            Zfs.class.getClassLoader(),
            new Class<?>[] {Zfs.class},
            (proxy, m, args) -> {
              if (m.getName().equals(method) && failing.get()) {
                throw error.get();
              }
              try {
                return m.invoke(real, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  @AfterEach
  void stop() {
    daemon.stop();
    Logging.install(List.of());
  }

  private JobStatus status(String job) {
    return daemon.statuses().stream().filter(s -> s.name().equals(job)).findFirst().orElseThrow();
  }

  private static void await(String what, BooleanSupplier done) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(10);
    }
  }

  @Test
  void aSnapJobWhoseStartThrowsAnErrorIsFailedVisiblyAndRestartedAfterTheBackoff()
      throws Exception {
    overflowing.set(false);
    daemon.start(config);
    // the job's start ran on its thread and threw; the restarter hears of it
    await("the death to reach the restarter", () -> restarts.nextDue().isPresent());
    restarts.advance(Duration.ZERO);

    assertThat(log)
        .anySatisfy(
            l ->
                assertThat(l)
                    .contains("[ERROR]")
                    .contains("[bad]")
                    .contains("job bad died: java.lang.AssertionError: fake zfs: boom"));
    JobStatus bad = status("bad");
    assertThat(bad.state()).isEqualTo("failed");
    assertThat(bad.errors())
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith("died: java.lang.AssertionError: fake zfs: boom")
        .contains("restart 1 at 2026-12-05T10:00:30Z, in 30s");
    assertThat(metrics.scrape())
        .contains("zrepl_daemon_job_up{internal=\"false\",zrepl_job=\"bad\"} 0.0\n")
        .contains("zrepl_daemon_job_up{internal=\"false\",zrepl_job=\"good\"} 1.0\n");
    // the daemon answers, and says why the job refuses signals
    assertThat(control.handle(ControlRequest.of("status")).ok()).isTrue();
    assertThat(control.handle(ControlRequest.of("signal", "snapshot", "bad")).error())
        .startsWith("job 'bad' died: java.lang.AssertionError");
    // the other job runs
    assertThat(control.handle(ControlRequest.of("signal", "snapshot", "good")).ok()).isTrue();
    await("good's snapshot", () -> !zfs.listVersions(DatasetPath.of("pool/b")).isEmpty());
    assertThat(status("good").state()).isIn("idle", "running");

    // not before the backoff; then built again, and this time it starts
    failing.set(false);
    restarts.advance(Duration.ofSeconds(29));
    assertThat(status("bad").state()).isEqualTo("failed");
    restarts.advance(Duration.ofSeconds(1));
    assertThat(log).anySatisfy(l -> assertThat(l).contains("restarting job after it died"));
    await("bad to run again", () -> status("bad").state().equals("idle"));
    assertThat(status("bad").errors()).isEmpty();
    assertThat(metrics.scrape())
        .contains("zrepl_daemon_job_up{internal=\"false\",zrepl_job=\"bad\"} 1.0\n");
    assertThat(control.handle(ControlRequest.of("signal", "snapshot", "bad")).ok()).isTrue();
    await("bad's snapshot", () -> !zfs.listVersions(DatasetPath.of("pool/a")).isEmpty());
  }

  @Test
  void aLocalJobWhoseInvocationOverflowsTheStackDiesAndEachNextDeathWaitsLonger() throws Exception {
    failing.set(false);
    overflowing.set(false);
    daemon.start(config);
    await("local_bad to start", () -> status("local_bad").state().equals("idle"));
    overflowing.set(true);
    assertThat(control.handle(ControlRequest.of("signal", "wakeup", "local_bad")).ok()).isTrue();
    await("local_bad's death to reach the restarter", () -> restarts.nextDue().isPresent());
    restarts.advance(Duration.ZERO);
    assertThat(status("local_bad").state()).isEqualTo("failed");
    assertThat(status("local_bad").errors().get(0))
        .startsWith("died: java.lang.StackOverflowError: fake zfs: too deep")
        .contains("in 30s");
    assertThat(log)
        .anySatisfy(
            l ->
                assertThat(l)
                    .contains("[ERROR]")
                    .contains("[local_bad]")
                    .contains("job local_bad died: java.lang.StackOverflowError"));
    assertThat(metrics.scrape())
        .contains("zrepl_daemon_job_up{internal=\"false\",zrepl_job=\"local_bad\"} 0.0\n");

    // restarted after 30 s; it dies again on the next wakeup and now waits 60 s
    overflowing.set(false);
    restarts.advance(Duration.ofSeconds(30));
    overflowing.set(true);
    await("local_bad to run again", () -> !status("local_bad").state().equals("failed"));
    assertThat(control.handle(ControlRequest.of("signal", "wakeup", "local_bad")).ok()).isTrue();
    await("local_bad's second death", () -> restarts.nextDue().isPresent());
    restarts.advance(Duration.ZERO);
    assertThat(status("local_bad").errors().get(0)).contains("restart 2").contains("in 60s");
  }

  @Test
  void restartDelaysDoubleUpToFifteenMinutes() {
    assertThat(List.of(1, 2, 3, 5, 6, 100).stream().map(n -> Daemon.restartDelay(n).toSeconds()))
        .containsExactly(30L, 60L, 120L, 480L, 900L, 900L);
  }
}
