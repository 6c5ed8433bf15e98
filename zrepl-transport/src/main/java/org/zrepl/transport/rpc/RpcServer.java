package org.zrepl.transport.rpc;

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
 * client (garbage, a wrong version, a hostile request) costs only its own connection.
 */
public final class RpcServer implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(RpcServer.class);

  private final Listener listener;
  private final Dispatcher dispatcher;
  private final ExecutorService connections =
      Executors.newCachedThreadPool(Wire.daemonThreads("zrepl-rpc-conn"));
  private final java.util.Set<Listener.Accepted> active =
      java.util.concurrent.ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  public RpcServer(Listener listener, Endpoints endpoints) {
    this.listener = Objects.requireNonNull(listener, "listener");
    this.dispatcher = new Dispatcher(Objects.requireNonNull(endpoints, "endpoints"));
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
