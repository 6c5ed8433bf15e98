package org.zrepl.app.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zrepl.app.config.Config;
import org.zrepl.app.config.ConfigLoader;
import org.zrepl.app.config.Global;
import org.zrepl.app.config.LoadResult;
import org.zrepl.app.logging.LogContext;
import org.zrepl.app.logging.LogOutlets;
import org.zrepl.app.logging.Logging;
import org.zrepl.port.transport.LogSinks;
import org.zrepl.port.transport.MetricsListeners.MetricsListener;
import org.zrepl.port.transport.control.ControlException;
import org.zrepl.port.transport.control.ControlSockets.ControlSocket;

/**
 * A running {@code zrepl daemon}: logging outlets, the control socket, the Prometheus listener and
 * the jobs. {@link #start} fails with a {@link DaemonStartException} (socket directory not private,
 * socket or listener cannot bind, bad outlet) before any job starts, or when a {@code sink} or
 * {@code source} cannot open its {@code serve:} listener (the jobs started so far are stopped).
 * {@link #reload} reads the config file again; an invalid one, or one whose serving job cannot open
 * its listener, is logged as an error and the running configuration stays.
 */
public final class DaemonProcess implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DaemonProcess.class);

  private final Path configFile;
  private final Consumer<String> stdout;
  private final LogSinks logSinks;
  private final Clock clock;
  private final Daemon daemon;
  private final ControlSocket control;
  private final List<MetricsListener> metrics;
  private final ControlService service;
  private volatile Global global;

  private DaemonProcess(
      Path configFile,
      Consumer<String> stdout,
      LogSinks logSinks,
      Clock clock,
      Daemon daemon,
      ControlSocket control,
      List<MetricsListener> metrics,
      ControlService service,
      Global global) {
    this.configFile = configFile;
    this.stdout = stdout;
    this.logSinks = logSinks;
    this.clock = clock;
    this.daemon = daemon;
    this.control = control;
    this.metrics = metrics;
    this.service = service;
    this.global = global;
  }

  /**
   * Starts everything for {@code config} (read from {@code configFile}); {@code stdout} receives
   * the lines of stdout log outlets.
   */
  public static DaemonProcess start(
      Path configFile,
      Config config,
      JobBuilders builders,
      DaemonServices services,
      Clock clock,
      String version,
      Consumer<String> stdout) {
    Objects.requireNonNull(config, "config");
    installLogging(config.global(), stdout, services.logSinks(), clock);
    warnIfReadableByOthers(configFile);
    StdinserverSockdir.check(config, services.controlSockets());
    Instant startedAt = clock.instant();
    Daemon daemon = new Daemon(builders, clock);
    ControlService service =
        new ControlService(daemon, version, startedAt, Optional.of(configFile));
    ControlSocket control;
    try {
      control =
          services
              .controlSockets()
              .serve(
                  config.global().controlSockpath(),
                  new ControlMetrics(service, services.metricsRegistry(), clock));
    } catch (ControlException e) {
      throw new DaemonStartException(e.getMessage(), e);
    }
    List<MetricsListener> metrics = new ArrayList<>();
    Metrics.register(
        services.metricsRegistry(), Metrics.Sources.of(daemon), version, startedAt, clock);
    try {
      for (Global.Monitoring mon : config.global().monitoring()) {
        if (mon instanceof Global.Monitoring.Prometheus p) {
          metrics.add(
              services
                  .metricsListeners()
                  .start(p.listen(), p.listenFreebind(), services.metricsRegistry()::scrape));
        }
      }
    } catch (RuntimeException e) {
      metrics.forEach(MetricsListener::close);
      control.close();
      throw new DaemonStartException(e.getMessage(), e);
    }
    try (LogContext ctx = LogContext.of(null, "daemon")) {
      LOG.atInfo()
          .addKeyValue("version", version)
          .addKeyValue("config", configFile)
          .addKeyValue("control", control.socket())
          .log("daemon starting");
    }
    try {
      daemon.start(config);
    } catch (DaemonStartException e) {
      metrics.forEach(MetricsListener::close);
      control.close();
      throw e;
    }
    return new DaemonProcess(
        configFile,
        stdout,
        services.logSinks(),
        clock,
        daemon,
        control,
        metrics,
        service,
        config.global());
  }

  /**
   * Logs a warning (and starts anyway, as zrepl does without checking) when group or others may
   * read the config file: it names key files, hook commands and the network layout, and the package
   * installs it 0600 root.
   */
  private static void warnIfReadableByOthers(Path configFile) {
    try (LogContext ctx = LogContext.of(null, "daemon")) {
      readableByOthers(configFile, Files.getPosixFilePermissions(configFile)).ifPresent(LOG::warn);
    } catch (IOException | UnsupportedOperationException e) {
      // the loader has just read it; a file system without POSIX modes has nothing to check
    }
  }

  /** The warning for a config file {@code file} with {@code perms}, if group or others read it. */
  static Optional<String> readableByOthers(Path file, Set<PosixFilePermission> perms) {
    if (!perms.contains(PosixFilePermission.GROUP_READ)
        && !perms.contains(PosixFilePermission.OTHERS_READ)) {
      return Optional.empty();
    }
    return Optional.of(
        "config file "
            + file
            + " is readable by "
            + (perms.contains(PosixFilePermission.OTHERS_READ) ? "every user" : "its group")
            + " (mode "
            + PosixFilePermissions.toString(perms)
            + "); starting anyway; chmod 600 it, as the package installs it");
  }

  private static void installLogging(
      Global g, Consumer<String> stdout, LogSinks sinks, Clock clock) {
    Logging.useClock(clock);
    try {
      Logging.install(LogOutlets.of(g.logging(), stdout, sinks, clock.getZone()));
    } catch (IllegalArgumentException e) {
      throw new DaemonStartException("logging: " + e.getMessage(), e);
    }
  }

  /** The port of the first Prometheus listener (tests configure port 0). */
  public Optional<Integer> metricsPort() {
    return metrics.stream().findFirst().map(MetricsListener::port);
  }

  public ControlService control() {
    return service;
  }

  /**
   * Reads the config file again and applies it. Returns the result; an invalid or unreadable file
   * is logged as an error and changes nothing.
   */
  public Optional<Daemon.ReloadResult> reload() {
    try (LogContext ctx = LogContext.of(null, "daemon")) {
      LoadResult r = ConfigLoader.load(configFile);
      if (r instanceof LoadResult.Invalid i) {
        i.render()
            .lines()
            .forEach(
                line -> LOG.error("reload refused, keeping the running configuration: {}", line));
        return Optional.empty();
      }
      if (r instanceof LoadResult.Unreadable u) {
        LOG.error("reload refused, keeping the running configuration: {}", u.message());
        return Optional.empty();
      }
      Config c = ((LoadResult.Valid) r).config();
      Global old = global;
      Daemon.ReloadResult result;
      try {
        result = daemon.reload(c);
      } catch (Daemon.ReloadRefusedException e) {
        LOG.error("reload refused, keeping the running configuration: {}", e.getMessage(), e);
        return Optional.empty();
      }
      if (!c.global().controlSockpath().equals(old.controlSockpath())
          || !c.global().monitoring().equals(old.monitoring())) {
        LOG.warn("changes to global.control and global.monitoring take effect after a restart");
      }
      if (!c.global().logging().equals(old.logging())) {
        try {
          installLogging(c.global(), stdout, logSinks, clock);
        } catch (DaemonStartException e) {
          LOG.error("new logging configuration refused: {}", e.getMessage(), e);
        }
      }
      global = c.global();
      return Optional.of(result);
    }
  }

  /** Stops the jobs (each after its current step), the listeners and removes the socket. */
  @Override
  public void close() {
    try (LogContext ctx = LogContext.of(null, "daemon")) {
      LOG.info("daemon stopping");
      control.close();
      metrics.forEach(MetricsListener::close);
      daemon.stop();
      LOG.info("daemon stopped");
    }
  }
}
