package org.zrepl.transport.rpc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Closeable;
import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zrepl.transport.conn.Listener;

/**
 * The passive side: accepts connections from a {@link Listener} and serves each on its own thread,
 * dispatching to the {@link Endpoints} its job offers the connection's client identity. One bad
 * client (garbage, a wrong version, a hostile request) costs only its own connection. At most
 * {@code maxConnections} are served at once; a client beyond that gets an error response saying so
 * (a temporary {@link TransportException.Kind#CONNECT}) and a closed connection.
 */
public final class RpcServer implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(RpcServer.class);

  /** Connections served at once unless told otherwise. */
  public static final int DEFAULT_MAX_CONNECTIONS = 64;

  private final Listener listener;
  private final Dispatcher dispatcher;
  private final ExecutorService connections =
      Executors.newCachedThreadPool(Wire.daemonThreads("zrepl-rpc-conn"));
  private final java.util.Set<Listener.Accepted> active =
      java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final int maxConnections;
  private volatile boolean closed;

  public RpcServer(Listener listener, Endpoints endpoints) {
    this(listener, endpoints, DEFAULT_MAX_CONNECTIONS);
  }

  public RpcServer(Listener listener, Endpoints endpoints, int maxConnections) {
    this.listener = Objects.requireNonNull(listener, "listener");
    this.dispatcher = new Dispatcher(Objects.requireNonNull(endpoints, "endpoints"));
    if (maxConnections < 1) {
      throw new IllegalArgumentException("maxConnections must be positive, got " + maxConnections);
    }
    this.maxConnections = maxConnections;
  }

  /** Starts accepting on a thread of its own; returns at once. */
  public RpcServer start() {
    Thread t = Wire.daemonThreads("zrepl-rpc-accept").newThread(this::acceptLoop);
    t.start();
    return this;
  }

  private void acceptLoop() {
    while (!closed) {
      Listener.Accepted a;
      try {
        a = listener.accept();
      } catch (IOException e) {
        if (!closed) {
          LOG.error(
              "{}: accepting failed, no longer serving: {}", listener.describe(), e.toString());
        }
        return;
      }
      Listener.Accepted accepted = a;
      if (active.size() >= maxConnections) {
        connections.execute(() -> refuse(accepted));
        continue;
      }
      active.add(accepted);
      if (closed) {
        Wire.closeQuietly(accepted.connection());
        return;
      }
      connections.execute(
          () -> {
            try {
              new ServerConnection(accepted, dispatcher).run();
            } finally {
              active.remove(accepted);
            }
          });
    }
  }

  /**
   * Tells a client beyond the limit so: reads its request (closing with unread input would reset
   * the connection before the client reads the answer), answers with the error, closes.
   */
  private void refuse(Listener.Accepted a) {
    String why =
        listener.describe()
            + " refuses the connection: it serves "
            + maxConnections
            + " connections already, its limit; try again later";
    LOG.warn(
        "{}: refused client '{}' ({}): {} connections open, the limit",
        listener.describe(),
        a.identity(),
        a.connection().describe(),
        maxConnections);
    try (Wire w = Wire.open(a.connection())) {
      w.reader.nextControl();
      ObjectNode o = Json.F.objectNode();
      o.set(
          "error",
          RemoteErrors.encode(new TransportException(TransportException.Kind.CONNECT, why, null)));
      w.writer.header(Json.bytes(o), true);
    } catch (IOException | RuntimeException e) {
      Wire.closeQuietly(a.connection()); // the client went away or spoke nonsense: done anyway
    }
  }

  /** Stops accepting and closes the connections being served. */
  @Override
  public void close() throws IOException {
    closed = true;
    try {
      listener.close();
    } finally {
      active.forEach(a -> Wire.closeQuietly(a.connection()));
      connections.shutdownNow();
    }
  }
}
