package org.zrepl.app.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.zrepl.app.config.Config;
import org.zrepl.app.config.ConfigLoader;
import org.zrepl.app.config.Job.Snap;
import org.zrepl.app.config.LoadResult;

class DaemonTest {

  private final List<RecordingJob> built = new ArrayList<>();

  private final JobBuilders builders =
      new JobBuilders()
          .register(
              Snap.class,
              c -> {
                if (c.name().startsWith("broken")) {
                  throw new IllegalArgumentException("cannot build " + c.name());
                }
                RecordingJob j = new RecordingJob(c);
                if (c.name().startsWith("taken")) {
                  j.startFailure =
                      new ServeFailedException(
                          "job '" + c.name() + "' cannot serve tcp 127.0.0.1:8888: in use",
                          new java.net.BindException("Address already in use"));
                }
                built.add(j);
                return j;
              });

  static Config config(String... jobs) {
    StringBuilder y = new StringBuilder("jobs:\n");
    for (String j : jobs) {
      int colon = j.indexOf(':');
      String name = colon < 0 ? j : j.substring(0, colon);
      String keep = colon < 0 ? "1" : j.substring(colon + 1);
      y.append(
          """
          - name: %s
            type: snap
            filesystems: { "pool<": true }
            snapshotting: { type: manual }
            pruning:
              keep:
              - type: last_n
                count: %s
          """
              .formatted(name, keep));
    }
    LoadResult r = ConfigLoader.parse("zrepl.yml", y.toString(), Path.of("/tmp"));
    if (r instanceof LoadResult.Invalid i) {
      throw new AssertionError(i.render());
    }
    return ((LoadResult.Valid) r).config();
  }

  private RecordingJob built(String name) {
    return built.stream().filter(j -> j.name.equals(name)).reduce((a, b) -> b).orElseThrow();
  }

  /**
   * The control socket is served before the jobs start: a status asked in between waits for them
   * instead of answering with no jobs (DaemonCommandIT saw "no jobs" under load).
   */
  @Test
  void aStatusAskedBeforeTheJobsStartedWaitsForThem() throws Exception {
    Daemon d = new Daemon(builders, java.time.Clock.systemUTC());
    java.util.concurrent.CompletableFuture<List<String>> names =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> d.statuses().stream().map(JobStatus::name).toList());
    Thread.sleep(200);
    assertThat(names).isNotDone();
    d.start(config("a", "c"));
    assertThat(names.get(10, java.util.concurrent.TimeUnit.SECONDS)).containsExactly("a", "c");
  }

  @Test
  void oneJobThatCannotBeBuiltDoesNotStopTheOthers() {
    Daemon d = new Daemon(builders, java.time.Clock.systemUTC());
    d.start(config("a", "broken", "c"));

    assertThat(d.jobNames()).containsExactly("a", "broken", "c");
    assertThat(built("a").calls).containsExactly("start");
    assertThat(built("c").calls).containsExactly("start");
    JobStatus broken = d.statuses().get(1);
    assertThat(broken.state()).isEqualTo("failed");
    assertThat(broken.type()).isEqualTo("snap");
    assertThat(broken.errors()).containsExactly("cannot build broken");
  }

  @Test
  void reloadKeepsUnchangedRestartsChangedStartsNewStopsRemoved() {
    Daemon d = new Daemon(builders, java.time.Clock.systemUTC());
    d.start(config("keep", "change", "remove"));
    RecordingJob keep = built("keep");
    RecordingJob oldChange = built("change");
    RecordingJob remove = built("remove");

    Daemon.ReloadResult r = d.reload(config("keep", "change:2", "fresh"));

    assertThat(r.kept()).containsExactly("keep");
    assertThat(r.restarted()).containsExactly("change");
    assertThat(r.started()).containsExactly("fresh");
    assertThat(r.stopped()).containsExactly("remove");
    assertThat(keep.calls).containsExactly("start");
    assertThat(oldChange.calls).containsExactly("start", "stop");
    assertThat(built("change")).isNotSameAs(oldChange);
    assertThat(built("change").calls).containsExactly("start");
    assertThat(remove.calls).containsExactly("start", "stop");
    assertThat(d.jobNames()).containsExactly("change", "fresh", "keep");
  }

  @Test
  void aFailedJobIsRetriedOnReloadEvenWithTheSameConfig() {
    Daemon d = new Daemon(builders, java.time.Clock.systemUTC());
    d.start(config("broken1"));
    Daemon.ReloadResult r = d.reload(config("broken1"));
    assertThat(r.restarted()).containsExactly("broken1");
  }

  @Test
  void aListenerThatCannotBeOpenedStopsTheStartAndTheJobsStartedSoFar() {
    Daemon d = new Daemon(builders, java.time.Clock.systemUTC());

    assertThatThrownBy(() -> d.start(config("a", "taken", "c")))
        .isInstanceOf(DaemonStartException.class)
        .hasMessage("job 'taken' cannot serve tcp 127.0.0.1:8888: in use")
        .hasRootCauseMessage("Address already in use");

    assertThat(built("a").calls).containsExactly("start", "stop");
    assertThat(built("taken").calls).containsExactly("start", "stop");
    assertThat(built).extracting(j -> j.name).doesNotContain("c");
    assertThat(d.jobNames()).isEmpty();
  }

  @Test
  void aReloadWhoseListenerCannotBeOpenedKeepsTheRunningConfiguration() {
    Daemon d = new Daemon(builders, java.time.Clock.systemUTC());
    d.start(config("keep", "change:1", "remove"));
    RecordingJob keep = built("keep");
    RecordingJob oldChange = built("change");
    RecordingJob remove = built("remove");

    assertThatThrownBy(() -> d.reload(config("keep", "change:2", "fresh", "taken")))
        .isInstanceOf(Daemon.ReloadRefusedException.class)
        .hasMessageContaining("job 'taken' cannot serve");

    assertThat(d.jobNames()).containsExactly("change", "keep", "remove");
    assertThat(keep.calls).containsExactly("start");
    assertThat(built("fresh").calls).containsExactly("start", "stop");
    assertThat(built("taken").calls).containsExactly("start", "stop");
    // the changed and removed jobs run again from the running configuration
    assertThat(oldChange.calls).containsExactly("start", "stop");
    assertThat(built("change")).isNotSameAs(oldChange);
    assertThat(built("change").config).isEqualTo(oldChange.config);
    assertThat(built("change").calls).containsExactly("start");
    assertThat(built("remove")).isNotSameAs(remove);
    assertThat(built("remove").calls).containsExactly("start");
    assertThat(d.statuses()).allMatch(s -> s.state().equals("idle"));

    Daemon.ReloadResult r = d.reload(config("keep", "change:2"));
    assertThat(r.restarted()).containsExactly("change");
    assertThat(r.stopped()).containsExactly("remove");
  }

  @Test
  void stopStopsEveryJob() {
    Daemon d = new Daemon(builders, java.time.Clock.systemUTC());
    d.start(config("a", "b"));
    d.stop();
    assertThat(built("a").calls).containsExactly("start", "stop");
    assertThat(built("b").calls).containsExactly("start", "stop");
    assertThat(d.jobNames()).isEmpty();
  }

  @Test
  void unsupportedTypesFailAlone() {
    Daemon d = new Daemon(new JobBuilders(), java.time.Clock.systemUTC());
    d.start(config("a"));
    assertThat(d.statuses().get(0).errors())
        .containsExactly("job type of 'a' is not supported by this daemon yet");
  }
}
