package org.zrepl.zfs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.zrepl.port.metrics.MetricsRegistry;

class TimedProcessLauncherTest {

  /** Records every observation as {@code name seconds [labels]}. */
  static final class RecordingRegistry implements MetricsRegistry {
    final List<String> seen = new ArrayList<>();

    @Override
    public Counter counter(String name, String help, String... labelNames) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Gauge gauge(String name, String help, String... labelNames) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Histogram histogram(
        String name, String help, List<Double> buckets, String... labelNames) {
      return (v, values) -> seen.add(name + " " + v + " " + List.of(values));
    }

    @Override
    public Histogram summary(String name, String help, String... labelNames) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void gaugeCallback(
        String name, String help, List<String> labelNames, Consumer<Samples> collect) {}

    @Override
    public void counterCallback(
        String name, String help, List<String> labelNames, Consumer<Samples> collect) {}

    @Override
    public void histogramCallback(
        String name,
        String help,
        List<Double> buckets,
        List<String> labelNames,
        Consumer<HistogramSamples> collect) {}

    @Override
    public String scrape() {
      return "";
    }
  }

  private static final ProcessLauncher EXITS_AT_ONCE =
      argv ->
          new LaunchedProcess() {
            @Override
            public OutputStream stdin() {
              return new ByteArrayOutputStream();
            }

            @Override
            public InputStream stdout() {
              return new ByteArrayInputStream(new byte[0]);
            }

            @Override
            public InputStream stderr() {
              return new ByteArrayInputStream(new byte[0]);
            }

            @Override
            public int waitFor() {
              return 0;
            }

            @Override
            public void kill() {}
          };

  private static List<String> run(String job, List<String> argv) throws Exception {
    RecordingRegistry r = new RecordingRegistry();
    AtomicLong nanos = new AtomicLong();
    TimedProcessLauncher l =
        new TimedProcessLauncher(EXITS_AT_ONCE, r, () -> job, () -> nanos.getAndAdd(250_000_000));
    LaunchedProcess p = l.start(argv);
    p.waitFor();
    p.waitFor(); // a second wait observes nothing more
    return r.seen;
  }

  @Test
  void everyCommandIsTimedUnderItsJobBinaryAndVerb() throws Exception {
    assertThat(run("mirror", List.of("zfs", "send", "-w", "p/a@s1")))
        .containsExactly("zrepl_zfscmd_runtime 0.25 [mirror, zfs, send]");
    assertThat(run("", List.of("zfs", "holds", "-H", "p/a@s1")))
        .as("outside a job, as zrepl")
        .containsExactly("zrepl_zfscmd_runtime 0.25 [_nojobid, zfs, holds]");
  }

  @Test
  void snapshotBookmarkDestroyAndListingAreTimedPerFilesystemAsZrepl() throws Exception {
    assertThat(
            run(
                "j",
                ZfsCommands.snapshot(
                    List.of(
                        org.zrepl.domain.dataset.DatasetPath.of("p/a"),
                        org.zrepl.domain.dataset.DatasetPath.of("p/b")),
                    "zrepl_1")))
        .contains(
            "zrepl_zfs_snapshot_duration 0.25 [p/a]", "zrepl_zfs_snapshot_duration 0.25 [p/b]");
    assertThat(run("j", List.of("zfs", "bookmark", "p/a@s1", "p/a#b1")))
        .contains("zrepl_zfs_bookmark_duration 0.25 [p/a]");
    assertThat(run("j", List.of("zfs", "destroy", "p/a@s1,s2")))
        .contains("zrepl_zfs_destroy_duration 0.25 [snapshot, p/a]");
    assertThat(run("j", List.of("zfs", "destroy", "p/a#b1")))
        .contains("zrepl_zfs_destroy_duration 0.25 [bookmark, p/a]");
    for (boolean typeFilter : List.of(true, false)) {
      ZfsDialect d =
          new ZfsDialect(org.zrepl.port.zfs.ZfsCapabilities.openZfs21(), typeFilter, !typeFilter);
      assertThat(
              run(
                  "j",
                  ZfsCommands.listVersions(
                      d,
                      List.of(
                          org.zrepl.domain.dataset.DatasetPath.of("p/a"),
                          org.zrepl.domain.dataset.DatasetPath.of("p/b")))))
          .as("zfs get -t snapshot,bookmark: %s", typeFilter)
          .containsExactly(
              "zrepl_zfscmd_runtime 0.25 [j, zfs, get]",
              "zrepl_zfs_list_filesystem_versions_duration 0.25 [p/a]",
              "zrepl_zfs_list_filesystem_versions_duration 0.25 [p/b]");
    }
  }
}
