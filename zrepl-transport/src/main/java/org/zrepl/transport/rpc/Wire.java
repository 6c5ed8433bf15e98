package org.zrepl.transport.rpc;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.zrepl.port.transport.Connection;
import org.zrepl.transport.frame.FrameReader;
import org.zrepl.transport.frame.FrameWriter;
import org.zrepl.transport.frame.Handshake;

/** A connection after the handshake: its frame reader and writer. */
final class Wire implements Closeable {
  /** Runs the watcher threads that read a peer's answer while a stream is being written. */
  static final ExecutorService WATCHERS =
      Executors.newCachedThreadPool(daemonThreads("zrepl-rpc-watcher"));

  final Connection connection;
  final FrameReader reader;
  final FrameWriter writer;

  /** When the client last put this wire into its idle pool ({@link System#nanoTime()}). */
  volatile long idleSince;

  /** True once the wire went through the idle pool: it may have died there. */
  volatile boolean reused;

  /** Where the client counts this wire's close; the server counts per connection instead. */
  private volatile ConnectionCloses closes = ConnectionCloses.NONE;

  private final AtomicBoolean closed = new AtomicBoolean();

  private Wire(Connection connection, FrameReader reader, FrameWriter writer) {
    this.connection = connection;
    this.reader = reader;
    this.writer = writer;
  }

  /** Exchanges handshakes; closes the connection if that fails. */
  static Wire open(Connection c) throws IOException {
    return open(c, java.util.function.UnaryOperator.identity());
  }

  /** As {@link #open(Connection)}, reading through {@code wrap(c.in())}. */
  static Wire open(Connection c, java.util.function.UnaryOperator<java.io.InputStream> wrap)
      throws IOException {
    return open(c, wrap, java.util.function.UnaryOperator.identity());
  }

  /**
   * As {@link #open(Connection)}, reading through {@code wrapIn}, writing through {@code wrapOut}.
   */
  static Wire open(
      Connection c,
      java.util.function.UnaryOperator<java.io.InputStream> wrapIn,
      java.util.function.UnaryOperator<java.io.OutputStream> wrapOut)
      throws IOException {
    try {
      return openLeavingOpen(c, wrapIn, wrapOut);
    } catch (IOException | RuntimeException e) {
      closeQuietly(c);
      throw e;
    }
  }

  /**
   * As {@link #open(Connection, java.util.function.UnaryOperator,
   * java.util.function.UnaryOperator)}, but a failed handshake leaves the connection open: the
   * caller closes it, after saying why (a peer that waits for the close then finds it said).
   */
  static Wire openLeavingOpen(
      Connection c,
      java.util.function.UnaryOperator<java.io.InputStream> wrapIn,
      java.util.function.UnaryOperator<java.io.OutputStream> wrapOut)
      throws IOException {
    BufferedInputStream in = new BufferedInputStream(wrapIn.apply(c.in()), 64 << 10);
    BufferedOutputStream out = new BufferedOutputStream(wrapOut.apply(c.out()), 16 << 10);
    Handshake.exchange(in, out);
    return new Wire(c, new FrameReader(in), new FrameWriter(out));
  }

  /** Counts this wire's first close in {@code c} (the client's side). */
  Wire countedIn(ConnectionCloses c) {
    closes = c;
    return this;
  }

  /** Closes the connection; the first close of the wire is counted under {@code why}. */
  void close(ConnectionCloses.Reason why) {
    if (closed.compareAndSet(false, true)) {
      closes.count(ConnectionCloses.Side.CLIENT, why);
    }
    closeQuietly(connection);
  }

  /** Closes the connection: done with it. */
  @Override
  public void close() {
    close(ConnectionCloses.Reason.DONE);
  }

  /**
   * Closes the connection after the peer was told why (a "not served" answer): an orderly end (see
   * {@link Connection#closeAfterFarewell()}). The server's side: nothing is counted here.
   */
  static void closeAfterFarewell(Connection c) {
    try {
      c.closeAfterFarewell();
    } catch (IOException ignored) {
      // Closing a connection that is being given up; nothing more to do.
    }
  }

  static void closeQuietly(Closeable c) {
    try {
      c.close();
    } catch (IOException ignored) {
      // Closing a connection that is being given up; nothing more to do.
    }
  }

  static java.util.concurrent.ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
