package org.zrepl.transport.rpc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zrepl.port.transport.Endpoints;
import org.zrepl.port.transport.Listener;
import org.zrepl.port.transport.Rpc;
import org.zrepl.port.transport.ServerLimits;
import org.zrepl.port.transport.TransportException;
import org.zrepl.transport.frame.Frame;
import org.zrepl.transport.frame.FrameType;

/**
 * The passive side: accepts connections from a {@link Listener} and serves each on its own thread,
 * dispatching to the {@link Endpoints} its job offers the connection's client identity. One bad
 * client (garbage, a wrong version, a hostile request) costs only its own connection. The {@link
 * ServerLimits} bound connections (in all and per client) and so threads and buffers, and give
 * every phase of a connection a deadline ({@link ConnectionGuard}); a client beyond a limit, when
 * no waiting connection can make room, gets an error response saying so (a {@link
 * NotServedException}, a temporary {@link TransportException.Kind#CONNECT}: the client waits and
 * tries again) and a closed connection, answered by at most {@value #REFUSING_THREADS} threads
 * (beyond that it is closed before the handshake, which the client takes the same way).
 *
 * <p>An {@link Error} (say, {@link OutOfMemoryError}) in the accept loop is logged at error,
 * remembered ({@link #failure()}, shown by the job's status) and the loop goes on accepting.
 */
public final class RpcServer implements Rpc.Server {
  private static final Logger LOG = LoggerFactory.getLogger(RpcServer.class);

  /** Connections served at once unless told otherwise. */
  public static final int DEFAULT_MAX_CONNECTIONS = ServerLimits.DEFAULTS.maxConnections();

  static final int REFUSING_THREADS = 2;

  private final Listener listener;
  private final Dispatcher dispatcher;
  private final ServerLimits limits;
  private final ConnectionGuard guard;
  private final RateLimitedLog connectionWarnings;
  private final ExecutorService connections =
      Executors.newCachedThreadPool(Wire.daemonThreads("zrepl-rpc-conn"));
  private final ThreadPoolExecutor refusals =
      new ThreadPoolExecutor(
          REFUSING_THREADS,
          REFUSING_THREADS,
          30,
          TimeUnit.SECONDS,
          new ArrayBlockingQueue<>(REFUSING_THREADS * 8),
          Wire.daemonThreads("zrepl-rpc-refuse"));
  private volatile boolean closed;
  private volatile String failure;

  public RpcServer(Listener listener, Endpoints endpoints) {
    this(listener, endpoints, ServerLimits.DEFAULTS);
  }

  public RpcServer(Listener listener, Endpoints endpoints, int maxConnections) {
    this(listener, endpoints, ServerLimits.DEFAULTS.withMaxConnections(maxConnections));
  }

  public RpcServer(Listener listener, Endpoints endpoints, ServerLimits limits) {
    this(listener, endpoints, limits, ConnectionCloses.NONE);
  }

  /** A server that counts why its connections close in {@code closes}. */
  RpcServer(Listener listener, Endpoints endpoints, ServerLimits limits, ConnectionCloses closes) {
    this(listener, endpoints, limits, closes, ServerConnection.closeWarnings());
  }

  /** A server that logs its per-connection warnings through {@code connectionWarnings}. */
  RpcServer(
      Listener listener,
      Endpoints endpoints,
      ServerLimits limits,
      ConnectionCloses closes,
      RateLimitedLog connectionWarnings) {
    this.connectionWarnings = Objects.requireNonNull(connectionWarnings, "connectionWarnings");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.dispatcher = new Dispatcher(Objects.requireNonNull(endpoints, "endpoints"));
    this.limits = Objects.requireNonNull(limits, "limits");
    this.guard =
        new ConnectionGuard(
            limits,
            listener.describe(),
            System::nanoTime,
            Objects.requireNonNull(closes, "closes"));
    refusals.allowCoreThreadTimeOut(true);
  }

  /** Starts accepting on a thread of its own; returns at once. */
  public RpcServer start() {
    Thread t = Wire.daemonThreads("zrepl-rpc-accept").newThread(this::acceptLoop);
    t.start();
    return this;
  }

  /** What went wrong with accepting, if anything did; the job's status shows it. */
  @Override
  public Optional<String> failure() {
    return Optional.ofNullable(failure);
  }

  /** Connections being served now (tests, status). */
  public int connectionCount() {
    return guard.admittedCount();
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        if (!acceptOne()) {
          return;
        }
      } catch (Error e) { // NOPMD: an OutOfMemoryError must not end serving silently
        failure = "the accept loop of " + listener.describe() + " failed and was restarted: " + e;
        LOG.error("{}", failure, e);
      }
    }
  }

  /** Accepts and dispatches one connection; false once the listener is gone. */
  private boolean acceptOne() {
    Listener.Accepted a;
    try {
      a = listener.accept();
    } catch (IOException e) {
      if (!closed) {
        failure = listener.describe() + ": accepting failed, no longer serving: " + e;
        LOG.error("{}", failure, e);
      }
      return false;
    }
    if (closed) {
      Wire.closeQuietly(a.connection());
      return false;
    }
    Optional<ConnectionGuard.Tracked> admitted = guard.admit(a);
    if (admitted.isEmpty()) {
      refuse(a);
      return true;
    }
    ConnectionGuard.Tracked t = admitted.get();
    try {
      connections.execute(
          () -> {
            try {
              new ServerConnection(a, dispatcher, t, connectionWarnings).run();
            } finally {
              guard.done(t);
            }
          });
    } catch (RejectedExecutionException e) {
      t.closing(ConnectionCloses.Reason.SERVER_STOPPED);
      guard.done(t);
      Wire.closeQuietly(a.connection());
    }
    return true;
  }

  private void refuse(Listener.Accepted a) {
    guard.refused();
    guard
        .warnings()
        .warn(
            "{}: refused client '{}' ({}): {} connections open (limit {}, {} per client), none"
                + " waiting",
            listener.describe(),
            a.identity(),
            a.connection().describe(),
            guard.admittedCount(),
            limits.maxConnections(),
            limits.maxPerClient());
    try {
      refusals.execute(() -> answerRefusal(a));
    } catch (RejectedExecutionException e) {
      Wire.closeQuietly(a.connection()); // refusals are being answered already: just close
    }
  }

  /**
   * Tells a client beyond the limit so: answers, right after the handshake, with a {@link
   * NotServedException} (the client reads it in place of the answer to its first request, however
   * late that request comes), then takes the request and its stream, if any, up to the trailer or
   * reset (the client stops sending once it reads the refusal; closing with unread input would
   * reset the connection before the client reads it), and closes once the client has. The guard
   * closes it if the client does not finish within the handshake timeout.
   */
  private void answerRefusal(Listener.Accepted a) {
    String why =
        listener.describe()
            + " refuses the connection: it serves "
            + limits.maxConnections()
            + " connections ("
            + limits.maxPerClient()
            + " per client) already, its limit; try again later";
    guard.refusing(a, true);
    boolean told = false;
    try {
      Wire w = Wire.open(a.connection());
      ObjectNode o = Json.F.objectNode();
      o.set("error", RemoteErrors.encode(new NotServedException(why)));
      w.writer.header(Json.bytes(o), true);
      told = true;
      // then the client closes first (the end of a session the client ended is no news to it);
      // the guard's deadline bounds the wait
      for (Frame f = w.reader.nextControl(); f != null; f = w.reader.nextControl()) {
        if (f.type() == FrameType.HEADER && !f.header().endOfMessage()) {
          new DataFrameInputStream(w.reader).drain();
        }
      }
      Wire.closeAfterFarewell(a.connection());
    } catch (IOException | RuntimeException e) {
      // The client went away, spoke nonsense, or the guard closed it: done anyway.
      if (told) {
        Wire.closeAfterFarewell(a.connection());
      } else {
        Wire.closeQuietly(a.connection());
      }
    } finally {
      guard.refusing(a, false);
    }
  }

  /** Stops accepting and closes the connections being served. */
  @Override
  public void close() throws IOException {
    closed = true;
    try {
      listener.close();
    } finally {
      guard.close();
      connections.shutdownNow();
      refusals.shutdownNow();
    }
  }
}
