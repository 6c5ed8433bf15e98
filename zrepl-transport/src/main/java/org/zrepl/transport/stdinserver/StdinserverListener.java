package org.zrepl.transport.stdinserver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import jnr.unixsocket.UnixServerSocketChannel;
import jnr.unixsocket.UnixSocketAddress;
import jnr.unixsocket.UnixSocketChannel;
import jnr.unixsocket.UnixSocketOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zrepl.port.transport.ClientIdentity;
import org.zrepl.port.transport.Connection;
import org.zrepl.port.transport.Listener;
import org.zrepl.transport.control.SocketDirectory;

/**
 * The {@code stdinserver} transport's serving end: one unix socket {@code sockdir/<identity>} per
 * client identity. A {@code zrepl stdinserver IDENTITY} (sshd's forced command) connects to its
 * socket and passes its stdin and stdout; those two descriptors become the connection, and the
 * identity is the socket's name. The socket directory must be private (see {@link
 * SocketDirectory}), since whoever can connect to a socket speaks as its identity.
 */
public final class StdinserverListener implements Listener {
  private static final Logger LOG = LoggerFactory.getLogger(StdinserverListener.class);

  /** What the accept threads hand over; {@link #CLOSED} wakes {@link #accept} on close. */
  private static final Listener.Accepted CLOSED =
      new Listener.Accepted(new Closed(), new ClientIdentity("closed"));

  /** How long a connected stdinserver has to pass its descriptors. */
  static final Duration HAND_OVER_TIMEOUT = Duration.ofSeconds(10);

  private final Path sockdir;
  private final List<Socket> sockets;
  private final Duration handOverTimeout;
  private final LinkedBlockingQueue<Listener.Accepted> ready = new LinkedBlockingQueue<>();
  private final ExecutorService receivers =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "stdinserver-receive");
            t.setDaemon(true);
            return t;
          });
  private final AtomicInteger serial = new AtomicInteger();
  private volatile boolean closed;

  /**
   * Hand-overs of one identity in progress at once. Beyond it a connection is closed at once: the
   * descriptors of a served connection are bounded by the RPC server's per-client limit, and this
   * bounds the threads waiting for descriptors before that.
   */
  public static final int MAX_PENDING_HAND_OVERS = 16;

  private record Socket(
      ClientIdentity identity, Path path, UnixServerSocketChannel channel, Semaphore pending) {}

  private StdinserverListener(Path sockdir, List<Socket> sockets, Duration handOverTimeout) {
    this.sockdir = sockdir;
    this.sockets = sockets;
    this.handOverTimeout = handOverTimeout;
  }

  /**
   * Checks {@code sockdir} is private (creating it 0700 if missing) and listens on {@code
   * sockdir/<identity>} for each identity. Throws {@link IOException} naming the directory or
   * socket that is wrong.
   */
  public static StdinserverListener bind(Path sockdir, List<ClientIdentity> identities)
      throws IOException {
    return bind(sockdir, identities, HAND_OVER_TIMEOUT);
  }

  /**
   * As above; a client that has not passed its descriptors after {@code handOverTimeout} is
   * dropped.
   */
  static StdinserverListener bind(
      Path sockdir, List<ClientIdentity> identities, Duration handOverTimeout) throws IOException {
    if (identities.isEmpty()) {
      throw new IllegalArgumentException("client_identities must not be empty");
    }
    Path dir = sockdir.toAbsolutePath();
    try {
      SocketDirectory.ensurePrivate(dir);
    } catch (RuntimeException e) {
      throw new IOException("stdinserver " + e.getMessage(), e);
    }
    List<Socket> sockets = new ArrayList<>();
    try {
      for (ClientIdentity id : identities) {
        Path p = dir.resolve(id.name());
        removeStale(p);
        UnixServerSocketChannel ch = UnixServerSocketChannel.open();
        try {
          ch.socket().bind(new UnixSocketAddress(p.toFile()));
        } catch (IOException e) {
          ch.close();
          throw new IOException("cannot listen on stdinserver socket " + p + ": " + e, e);
        }
        sockets.add(new Socket(id, p, ch, new Semaphore(MAX_PENDING_HAND_OVERS)));
      }
    } catch (IOException e) {
      for (Socket s : sockets) {
        closeQuietly(s);
      }
      throw e;
    }
    StdinserverListener l = new StdinserverListener(dir, List.copyOf(sockets), handOverTimeout);
    for (Socket s : l.sockets) {
      Thread t = new Thread(() -> l.acceptLoop(s), "stdinserver-accept-" + s.identity());
      t.setDaemon(true);
      t.start();
    }
    return l;
  }

  private static void removeStale(Path socket) throws IOException {
    if (!Files.exists(socket, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    boolean listening;
    try (UnixSocketChannel probe = UnixSocketChannel.open(new UnixSocketAddress(socket.toFile()))) {
      listening = true;
    } catch (IOException notListening) {
      listening = false;
    }
    if (listening) {
      throw new IOException(
          "another daemon is listening on stdinserver socket " + socket + "; stop it first");
    }
    Files.delete(socket);
  }

  private void acceptLoop(Socket s) {
    while (!closed) {
      UnixSocketChannel c;
      try {
        c = s.channel().accept();
      } catch (IOException e) {
        if (!closed) {
          LOG.error("stdinserver socket {}: accept failed, no longer serving: {}", s.path(), e);
        }
        return;
      }
      if (closed) {
        closeQuietly(c);
        return;
      }
      if (!s.pending().tryAcquire()) {
        LOG.warn(
            "stdinserver socket {}: refused a connection: {} hand-overs of identity {} in progress,"
                + " the limit",
            s.path(),
            MAX_PENDING_HAND_OVERS,
            s.identity());
        closeQuietly(c);
        continue;
      }
      try {
        receivers.execute(
            () -> {
              try {
                receive(s, c);
              } finally {
                s.pending().release();
              }
            });
      } catch (RejectedExecutionException e) {
        s.pending().release();
        closeQuietly(c);
      }
    }
  }

  private void receive(Socket s, UnixSocketChannel c) {
    int[] fds;
    try {
      // A client that connects and stays silent must not hold a thread for ever.
      c.setOption(UnixSocketOptions.SO_RCVTIMEO, Math.toIntExact(handOverTimeout.toMillis()));
      fds = Fds.receive(c.getFD(), 2);
      Fds.setBlocking(fds[0]);
      Fds.setBlocking(fds[1]);
    } catch (IOException e) {
      LOG.warn("stdinserver socket {}: refused a connection: {}", s.path(), e.getMessage());
      closeQuietly(c);
      return;
    }
    String describe = "stdinserver " + s.identity() + " #" + serial.incrementAndGet();
    LOG.info("{}: received the client's stdin and stdout", describe);
    FdConnection conn = new FdConnection(c, fds[0], fds[1], describe);
    synchronized (ready) {
      if (!closed) {
        ready.add(new Listener.Accepted(conn, s.identity()));
        return;
      }
    }
    closeQuietly(conn);
  }

  @Override
  public Listener.Accepted accept() throws IOException {
    if (closed) {
      throw new IOException(describe() + " is closed");
    }
    Listener.Accepted a;
    try {
      a = ready.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while accepting on " + describe());
    }
    if (a.connection() instanceof Closed) {
      ready.add(CLOSED);
      throw new IOException(describe() + " is closed");
    }
    return a;
  }

  @Override
  public String describe() {
    return "stdinserver listener "
        + sockdir
        + " "
        + sockets.stream().map(Socket::identity).toList();
  }

  /** Stops accepting, removes the sockets; connections already handed out stay open. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (Socket s : sockets) {
      // A blocked accept() does not return when its socket is closed; a connection wakes it.
      try (UnixSocketChannel wake =
          UnixSocketChannel.open(new UnixSocketAddress(s.path().toFile()))) {
        LOG.trace("woke the acceptor of {}", s.path());
      } catch (IOException ignored) {
        // It was not waiting (or is gone already).
      }
      closeQuietly(s);
    }
    receivers.shutdownNow();
    List<Listener.Accepted> unclaimed = new ArrayList<>();
    synchronized (ready) {
      ready.drainTo(unclaimed);
      ready.add(CLOSED);
    }
    unclaimed.forEach(a -> closeQuietly(a.connection()));
  }

  private static void closeQuietly(Socket s) {
    closeQuietly(s.channel());
    try {
      Files.deleteIfExists(s.path());
    } catch (IOException e) {
      LOG.warn("cannot remove stdinserver socket {}: {}", s.path(), e.toString());
    }
  }

  private static void closeQuietly(java.io.Closeable c) {
    try {
      c.close();
    } catch (IOException ignored) {
      // Being given up.
    }
  }

  /** The placeholder connection of {@link #CLOSED}. */
  private static final class Closed implements Connection {
    @Override
    public java.io.InputStream in() {
      return java.io.InputStream.nullInputStream();
    }

    @Override
    public java.io.OutputStream out() {
      return java.io.OutputStream.nullOutputStream();
    }

    @Override
    public String describe() {
      return "closed";
    }

    @Override
    public void close() {}
  }
}
