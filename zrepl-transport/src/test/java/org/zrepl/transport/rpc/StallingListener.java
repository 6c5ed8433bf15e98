package org.zrepl.transport.rpc;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicInteger;
import org.zrepl.port.transport.Connection;
import org.zrepl.port.transport.Listener;

/**
 * A real listener whose server plays a host starved of CPU on demand: while {@linkplain #stall()
 * stalled}, the server's connections read nothing after their 12 handshake bytes, so a request the
 * client has sent waits unread (in the socket) for as long as the test says. The handshake itself
 * goes through, one byte at most past it never: its reads are cut at the handshake's end.
 */
final class StallingListener implements Listener {
  private static final int HANDSHAKE = 12;

  private final Listener delegate;
  private final Object lock = new Object();
  private boolean stalled; // guarded by lock
  private int waiting; // guarded by lock
  final AtomicInteger accepted = new AtomicInteger();

  StallingListener(Listener delegate) {
    this.delegate = delegate;
  }

  /** From now on, reads past the handshake wait until {@link #release()}. */
  void stall() {
    synchronized (lock) {
      stalled = true;
    }
  }

  /** Lets every waiting read go on, and later ones too. */
  void release() {
    synchronized (lock) {
      stalled = false;
      lock.notifyAll();
    }
  }

  /** Reads waiting at the stall now: requests sent and not read by the server. */
  int waiting() {
    synchronized (lock) {
      return waiting;
    }
  }

  @Override
  public Accepted accept() throws IOException {
    Accepted a = delegate.accept();
    accepted.incrementAndGet();
    return new Accepted(new Stalling(a.connection()), a.identity());
  }

  @Override
  public String describe() {
    return delegate.describe();
  }

  @Override
  public void close() throws IOException {
    release();
    delegate.close();
  }

  private void pass() throws IOException {
    synchronized (lock) {
      if (!stalled) {
        return;
      }
      waiting++;
      try {
        while (stalled) {
          lock.wait();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted at the stall");
      } finally {
        waiting--;
      }
    }
  }

  private final class Stalling implements Connection {
    private final Connection c;
    private InputStream in;

    Stalling(Connection c) {
      this.c = c;
    }

    @Override
    public synchronized InputStream in() throws IOException {
      if (in == null) {
        in =
            new FilterInputStream(c.in()) {
              private long read;

              @Override
              public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
              }

              @Override
              public int read(byte[] b, int off, int len) throws IOException {
                if (read >= HANDSHAKE) {
                  pass();
                } else {
                  len = (int) Math.min(len, HANDSHAKE - read);
                }
                int n = super.read(b, off, len);
                if (n > 0) {
                  read += n;
                }
                return n;
              }
            };
      }
      return in;
    }

    @Override
    public OutputStream out() throws IOException {
      return c.out();
    }

    @Override
    public String describe() {
      return c.describe();
    }

    @Override
    public void close() throws IOException {
      c.close();
    }
  }
}
