package org.zrepl.transport.stdinserver;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import jnr.unixsocket.UnixSocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zrepl.port.transport.Connection;

/**
 * A connection made of the two descriptors a {@code zrepl stdinserver} passed (its stdin and
 * stdout, i.e. sshd's pipes), plus the unix socket it waits on. Closing it sends the verdict the
 * stdinserver exits with: {@code 0} when the client hung up (the session ended normally) or when
 * the daemon ended it after telling the client why in the RPC ({@link #closeAfterFarewell()}: a
 * request turned away unserved at a connection limit, which the client reads and sends again), so
 * that the client's ssh prints nothing; {@code 1} when the daemon ended it otherwise (a protocol
 * error, a timeout, a shutdown; the daemon log says which), which the stdinserver prints and the
 * client's ssh passes on to its log as a warning.
 *
 * <p>A descriptor number is closed only when no read or write is using it: the kernel would hand
 * the number to the next file opened, and a late read must not read that.
 */
final class FdConnection implements Connection {
  private static final Logger LOG = LoggerFactory.getLogger(FdConnection.class);

  private final UnixSocketChannel control;
  private final FdStream in;
  private final FdStream out;
  private final String describe;
  private boolean closed;

  FdConnection(UnixSocketChannel control, int inFd, int outFd, String describe) {
    this.control = control;
    this.in = new FdStream(inFd);
    this.out = new FdStream(outFd);
    this.describe = describe;
  }

  @Override
  public InputStream in() {
    return in.input;
  }

  @Override
  public OutputStream out() {
    return out.output;
  }

  @Override
  public String describe() {
    return describe;
  }

  @Override
  public void close() throws IOException {
    close(false);
  }

  @Override
  public void closeAfterFarewell() throws IOException {
    close(true);
  }

  private void close(boolean afterFarewell) throws IOException {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    // Our copies go first, so that sshd sees the end of the session's output once the
    // stdinserver (which holds the other copies) exits on the verdict.
    in.release();
    out.release();
    String verdict;
    if (in.sawEnd) {
      verdict = "0 session ended\n";
    } else if (afterFarewell) {
      verdict = "0 the daemon ended the session after telling the client why (not served)\n";
    } else {
      verdict = "1 the daemon ended the session before the client did (see the daemon log)\n";
    }
    LOG.info(
        "{}: session ended by the {}; verdict {}",
        describe,
        in.sawEnd ? "client" : afterFarewell ? "daemon, after telling the client why" : "daemon",
        verdict.charAt(0));
    try (control) {
      control.write(ByteBuffer.wrap(verdict.getBytes(StandardCharsets.UTF_8)));
    }
  }

  /** One descriptor, used as either an input or an output stream. */
  private static final class FdStream {
    private final int fd;
    private int users;
    private boolean released;
    private boolean closedFd;
    private volatile boolean sawEnd;

    final InputStream input =
        new InputStream() {
          private final byte[] one = new byte[1];
          private byte[] scratch = new byte[0];

          /** A buffer for reads at an offset (the RPC reads through one stream at a time). */
          private byte[] scratch(int len) {
            if (scratch.length < len) {
              scratch = new byte[len];
            }
            return scratch;
          }

          @Override
          public int read() throws IOException {
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
          }

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
              return 0;
            }
            byte[] buf = off == 0 ? b : scratch(len);
            enter();
            int n;
            try {
              n = Fds.read(fd, buf, len);
            } finally {
              leave();
            }
            if (n < 0) {
              sawEnd = true;
            } else if (buf != b) {
              System.arraycopy(buf, 0, b, off, n);
            }
            return n;
          }

          @Override
          public void close() {
            release();
          }
        };

    final OutputStream output =
        new OutputStream() {
          @Override
          public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
          }

          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            byte[] buf = off == 0 ? b : java.util.Arrays.copyOfRange(b, off, off + len);
            enter();
            try {
              Fds.writeFully(fd, buf, len);
            } finally {
              leave();
            }
          }

          @Override
          public void close() {
            release();
          }
        };

    FdStream(int fd) {
      this.fd = fd;
    }

    private synchronized void enter() throws IOException {
      if (released) {
        throw new IOException("stdinserver connection is closed");
      }
      users++;
    }

    private synchronized void leave() {
      users--;
      closeIfUnused();
    }

    synchronized void release() {
      released = true;
      closeIfUnused();
    }

    private void closeIfUnused() {
      if (released && users == 0 && !closedFd) {
        closedFd = true;
        Fds.close(fd);
      }
    }
  }
}
