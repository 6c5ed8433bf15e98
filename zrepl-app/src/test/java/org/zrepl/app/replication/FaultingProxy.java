package org.zrepl.app.replication;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay on loopback between a real client (tcp or tls) and a real server, the fault injector
 * of {@link OpenZfsTransportFaultsIT}: once {@code offset} bytes went through in the watched
 * direction (all connections together), it stops relaying, runs the fault (kill a process in the
 * guest, or nothing), then either resets the connection carrying that byte (RST on both sides: a
 * cut link) or relays the rest faithfully (the fault happened elsewhere). It strikes once. Small
 * socket buffers keep the bytes in flight few, so that a paused stream pauses its {@code zfs send}
 * too.
 */
final class FaultingProxy implements AutoCloseable {
  private static final int BUFFER = 64 << 10;

  private final ServerSocket server;
  private final int target;
  private final boolean towardsServer;
  private final long offset;
  private final boolean reset;
  private final Runnable fault;
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicBoolean struck = new AtomicBoolean();
  private final List<Socket> sockets = new ArrayList<>();
  private volatile String where = "";
  private volatile RuntimeException faultFailure;

  private FaultingProxy(
      int target, boolean towardsServer, long offset, boolean reset, Runnable fault)
      throws IOException {
    this.target = target;
    this.towardsServer = towardsServer;
    this.offset = offset;
    this.reset = reset;
    this.fault = fault;
    server = new ServerSocket();
    server.setReceiveBufferSize(BUFFER);
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    Thread t = new Thread(this::acceptLoop, "faulting-proxy " + port());
    t.setDaemon(true);
    t.start();
  }

  /**
   * Relays to {@code 127.0.0.1:target}; watches the bytes going to the server ({@code
   * towardsServer}) or coming from it; {@code offset} &lt; 0 never strikes.
   */
  static FaultingProxy start(
      int target, boolean towardsServer, long offset, boolean reset, Runnable fault)
      throws IOException {
    return new FaultingProxy(target, towardsServer, offset, reset, fault);
  }

  int port() {
    return server.getLocalPort();
  }

  /** Whether the fault struck, and where ({@code byte N of connection K}). */
  boolean struck() {
    return struck.get();
  }

  String where() {
    if (faultFailure != null) {
      throw new IllegalStateException("the fault at " + where + " failed", faultFailure);
    }
    return where;
  }

  private void acceptLoop() {
    for (int k = 1; ; k++) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      Socket upstream = new Socket();
      try {
        upstream.setReceiveBufferSize(BUFFER);
        upstream.setSendBufferSize(BUFFER);
        client.setSendBufferSize(BUFFER);
        upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target));
      } catch (IOException e) {
        resetQuietly(client);
        resetQuietly(upstream);
        continue;
      }
      synchronized (sockets) {
        sockets.add(client);
        sockets.add(upstream);
      }
      int conn = k;
      pump(client, upstream, towardsServer, conn);
      pump(upstream, client, !towardsServer, conn);
    }
  }

  private void pump(Socket from, Socket to, boolean watched, int conn) {
    Thread t = new Thread(() -> relay(from, to, watched, conn), "faulting-proxy-" + conn);
    t.setDaemon(true);
    t.start();
  }

  private void relay(Socket from, Socket to, boolean watched, int conn) {
    byte[] buf = new byte[8192];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      int n;
      while ((n = in.read(buf)) >= 0) {
        long before = watched ? bytes.getAndAdd(n) : -1;
        if (watched && offset >= 0 && before + n > offset && struck.compareAndSet(false, true)) {
          int keep = (int) Math.max(0, offset - before);
          out.write(buf, 0, keep);
          out.flush();
          where = "byte " + offset + " of connection " + conn;
          try {
            fault.run();
          } catch (RuntimeException e) {
            faultFailure = e;
          }
          if (reset) {
            resetQuietly(from);
            resetQuietly(to);
            return;
          }
          out.write(buf, keep, n - keep);
        } else {
          out.write(buf, 0, n);
        }
        out.flush();
      }
      to.shutdownOutput();
    } catch (IOException e) {
      resetQuietly(from);
      resetQuietly(to);
    }
  }

  private static void resetQuietly(Socket s) {
    try {
      if (!s.isClosed()) {
        s.setSoLinger(true, 0);
      }
      s.close();
    } catch (IOException e) {
      // already gone: that is what a reset wants
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    synchronized (sockets) {
      sockets.forEach(FaultingProxy::resetQuietly);
    }
  }
}
