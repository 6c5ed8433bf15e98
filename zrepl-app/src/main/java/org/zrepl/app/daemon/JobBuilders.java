package org.zrepl.app.daemon;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.zrepl.app.config.Global;
import org.zrepl.app.config.Job;
import org.zrepl.app.config.Job.Snap;
import org.zrepl.app.remote.Transports;

/**
 * How each config type becomes a runtime {@link JobRuntime}: the seam where the {@code local},
 * {@code push}, {@code pull}, {@code sink} and {@code source} jobs plug in ({@link #register}). A
 * type without a builder is reported as a job that failed to start; the others run.
 */
public final class JobBuilders {

  private final Map<Class<? extends Job>, Function<Job, JobRuntime>> builders =
      new LinkedHashMap<>();

  /** Where stdinserver listeners put their sockets: the running config's global section. */
  private volatile Path stdinserverSockdir = Global.DEFAULT_STDINSERVER_SOCKDIR;

  /** Called with each config before its jobs are built (start and reload). */
  void useGlobal(Global global) {
    stdinserverSockdir = global.stdinserverSockdir();
  }

  /** Registers (or replaces) the builder for {@code type}. */
  public <T extends Job> JobBuilders register(
      Class<T> type, Function<? super T, ? extends JobRuntime> builder) {
    Objects.requireNonNull(builder, "builder");
    builders.put(type, c -> builder.apply(type.cast(c)));
    return this;
  }

  /**
   * The builders of the production daemon: {@code snap}, {@code local}, {@code push}, {@code pull},
   * {@code sink}, {@code source} (local listeners shared by the daemon's jobs).
   */
  public static JobBuilders standard(JobDependencies deps) {
    return standard(deps, new ActiveSides(deps));
  }

  /** As {@link #standard(JobDependencies)}, push and pull jobs put together by {@code sides}. */
  public static JobBuilders standard(JobDependencies deps, ActiveSides sides) {
    JobBuilders b = new JobBuilders();
    Transports transports = sides.transports(() -> b.stdinserverSockdir);
    return b.register(
            Snap.class,
            c -> SnapJobRuntime.of(c, deps.zfs(), deps.hooks(), deps.clock(), deps.sleeper()))
        .register(Job.Local.class, c -> ActiveJobRuntime.local(c, deps))
        .register(Job.Push.class, c -> ActiveJobRuntime.push(c, sides, transports, deps.clock()))
        .register(Job.Pull.class, c -> ActiveJobRuntime.pull(c, sides, transports, deps.clock()))
        .register(Job.Sink.class, c -> ServingJobRuntime.sink(c, deps, transports))
        .register(Job.Source.class, c -> SourceJobRuntime.of(c, deps, transports));
  }

  /**
   * The runtime job for {@code config}; throws {@link IllegalArgumentException} for unknown types.
   */
  JobRuntime build(Job config) {
    for (var e : builders.entrySet()) {
      if (e.getKey().isInstance(config)) {
        return e.getValue().apply(config);
      }
    }
    throw new IllegalArgumentException(
        "job type of '" + config.name() + "' is not supported by this daemon yet");
  }
}
