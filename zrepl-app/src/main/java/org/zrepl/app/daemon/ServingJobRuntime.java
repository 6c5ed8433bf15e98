package org.zrepl.app.daemon;

import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zrepl.app.config.Job;
import org.zrepl.app.remote.SinkEndpoints;
import org.zrepl.app.remote.Transports;
import org.zrepl.port.transport.Endpoints;
import org.zrepl.port.transport.Listener;
import org.zrepl.port.transport.Rpc;

/**
 * A {@code sink} job in the daemon, and the serving half of a {@code source} ({@link
 * SourceJobRuntime}): binds its {@code serve:} listener and serves the RPC until stopped. The
 * active side (push, pull) drives replication, so a sink refuses wakeups.
 */
final class ServingJobRuntime implements JobRuntime {
  private static final Logger LOG = LoggerFactory.getLogger(ServingJobRuntime.class);
  private final String name;
  private final String type;
  private final org.zrepl.app.config.Serve serve;
  private final Transports transports;
  private final Rpc rpc;
  private final Endpoints endpoints;
  private volatile Rpc.Server server;
  private volatile String error;
  private volatile boolean stopped;

  ServingJobRuntime(
      String name,
      String type,
      org.zrepl.app.config.Serve serve,
      Transports transports,
      Rpc rpc,
      Endpoints endpoints) {
    this.name = name;
    this.type = type;
    this.serve = serve;
    this.transports = transports;
    this.rpc = rpc;
    this.endpoints = endpoints;
  }

  static ServingJobRuntime sink(Job.Sink c, JobDependencies deps, Transports transports) {
    return new ServingJobRuntime(
        c.name(),
        "sink",
        c.serve(),
        transports,
        deps.rpc(),
        SinkEndpoints.of(c, deps.zfs(), deps.clock(), deps.sleeper()));
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String type() {
    return type;
  }

  /**
   * Opens the listener and serves.
   *
   * @throws ServeFailedException if the listener cannot be opened (the daemon does not start, a
   *     reload is refused)
   */
  @Override
  public synchronized void start() {
    Listener l;
    try {
      l = transports.listener(serve);
    } catch (IOException | RuntimeException e) {
      error = "cannot serve: " + e.getMessage();
      throw new ServeFailedException(
          "job '" + name + "' cannot serve " + describe(serve) + ": " + e.getMessage(), e);
    }
    server = rpc.serve(l, endpoints, limits(serve.limits()));
    LOG.info("serving on {}", l.describe());
  }

  /** The configured limits as the transport port takes them. */
  static org.zrepl.port.transport.ServerLimits limits(org.zrepl.app.config.ServeLimits c) {
    return new org.zrepl.port.transport.ServerLimits(
        c.maxConnections(),
        c.maxPerClient(),
        c.handshakeTimeout(),
        c.headerTimeout(),
        c.idleTimeout(),
        c.writeTimeout());
  }

  /** The listener as configured, for errors: {@code tcp 127.0.0.1:8888}. */
  static String describe(org.zrepl.app.config.Serve s) {
    if (s instanceof org.zrepl.app.config.Serve.Tcp t) {
      return "tcp " + t.listen();
    }
    if (s instanceof org.zrepl.app.config.Serve.Tls t) {
      return "tls " + t.listen();
    }
    if (s instanceof org.zrepl.app.config.Serve.Local l) {
      return "local listener '" + l.listenerName() + "'";
    }
    return s.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
  }

  @Override
  public synchronized void stop() {
    stopped = true;
    if (server != null) {
      try {
        server.close();
      } catch (IOException e) {
        error = "stopping: " + e.getMessage();
      }
    }
  }

  @Override
  public JobStatus status() {
    Rpc.Server s = server;
    // the server's accept loop may have failed (the listener broke) or survived an Error
    String err = error != null ? error : s == null ? null : s.failure().orElse(null);
    String state = err != null ? "failed" : stopped ? "stopped" : "serving";
    return new JobStatus(
        name, type, state, "", "", err == null ? List.of() : List.of(err), List.of());
  }

  @Override
  public void wakeup() {
    throw refused("wakeup");
  }

  @Override
  public void reset() {
    throw refused("reset");
  }

  @Override
  public void snapshotNow() {
    throw refused("snapshot");
  }

  private SignalRefusedException refused(String what) {
    return new SignalRefusedException(
        "job '"
            + name
            + "' is a "
            + type
            + " job: it serves, the active side replicates ("
            + what
            + " the push or pull job instead)");
  }
}
