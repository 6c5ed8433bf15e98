package org.zrepl.app.replication;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.zrepl.port.transport.Connection;
import org.zrepl.port.transport.Connector;

/**
 * The {@link FaultingProxy} of a transport with no socket to put a proxy in ({@code
 * ssh+stdinserver}): counts the bytes written ({@code outgoing}) or read through every connection
 * and, once {@code offset} went through, runs the fault once on the thread that moved that byte
 * (the stream waits meanwhile), then goes on.
 */
final class FaultingConnector implements Connector {
  private final Connector delegate;
  private final boolean outgoing;
  private final long offset;
  private final Runnable fault;
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicBoolean struck = new AtomicBoolean();

  FaultingConnector(Connector delegate, boolean outgoing, long offset, Runnable fault) {
    this.delegate = delegate;
    this.outgoing = outgoing;
    this.offset = offset;
    this.fault = fault;
  }

  boolean struck() {
    return struck.get();
  }

  /** Whether the byte range {@code [before, before + n)} crosses the offset first. */
  private boolean strikes(long before, int n) {
    return offset >= 0 && before + n > offset && struck.compareAndSet(false, true);
  }

  @Override
  public Connection connect() throws IOException {
    Connection c = delegate.connect();
    return new Connection() {
      @Override
      public InputStream in() throws IOException {
        InputStream in = c.in();
        return outgoing
            ? in
            : new FilterInputStream(in) {
              @Override
              public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
              }

              @Override
              public int read(byte[] b, int off, int len) throws IOException {
                int n = in.read(b, off, len);
                if (n > 0 && strikes(bytes.getAndAdd(n), n)) {
                  fault.run();
                }
                return n;
              }
            };
      }

      @Override
      public OutputStream out() throws IOException {
        OutputStream out = c.out();
        return !outgoing
            ? out
            : new FilterOutputStream(out) {
              @Override
              public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
              }

              @Override
              public void write(byte[] b, int off, int len) throws IOException {
                long before = bytes.getAndAdd(len);
                if (strikes(before, len)) {
                  int keep = (int) Math.max(0, offset - before);
                  out.write(b, off, keep);
                  out.flush();
                  fault.run();
                  out.write(b, off + keep, len - keep);
                } else {
                  out.write(b, off, len);
                }
              }
            };
      }

      @Override
      public String describe() {
        return c.describe();
      }

      @Override
      public void close() throws IOException {
        c.close();
      }
    };
  }

  @Override
  public String describe() {
    return delegate.describe();
  }
}
