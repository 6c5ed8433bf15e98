package org.zrepl.transport.stdinserver;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jnr.constants.platform.Errno;
import jnr.constants.platform.Fcntl;
import jnr.constants.platform.OpenFlags;
import jnr.constants.platform.SocketLevel;
import jnr.posix.CmsgHdr;
import jnr.posix.MsgHdr;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;

/**
 * Raw file descriptors: passing them over a unix socket ({@code SCM_RIGHTS}), reading, writing and
 * closing them. The JDK has no API for either, so this goes through jnr-posix.
 *
 * <p>One message carries the descriptors: a single payload byte ({@link #MARKER}, since a message
 * without payload is not delivered on every kernel) and one {@code SCM_RIGHTS} control message with
 * the descriptors as native {@code int}s.
 */
final class Fds {
  static final POSIX LIBC = POSIXFactory.getNativePOSIX();

  /** {@code SCM_RIGHTS} is 1 on Linux and the BSDs; jnr-constants does not name it. */
  static final int SCM_RIGHTS = 1;

  static final byte MARKER = 'F';

  private Fds() {}

  /** Sends {@code fds} over the connected unix socket {@code socket}. */
  static void send(int socket, int... fds) throws IOException {
    MsgHdr msg = LIBC.allocateMsgHdr();
    ByteBuffer payload = ByteBuffer.allocateDirect(1);
    payload.put(MARKER).flip();
    msg.setIov(new ByteBuffer[] {payload});
    CmsgHdr c = msg.allocateControl(4 * fds.length);
    c.setLevel(SocketLevel.SOL_SOCKET.intValue());
    c.setType(SCM_RIGHTS);
    ByteBuffer data = ByteBuffer.allocate(4 * fds.length).order(ByteOrder.nativeOrder());
    for (int fd : fds) {
      data.putInt(fd);
    }
    data.flip();
    c.setData(data);
    if (LIBC.sendmsg(socket, msg, 0) < 0) {
      throw error("sendmsg (passing file descriptors)");
    }
  }

  /**
   * Receives the descriptors of one {@link #send} message; throws unless exactly {@code count}
   * arrived (closing any that did).
   */
  static int[] receive(int socket, int count) throws IOException {
    MsgHdr msg = LIBC.allocateMsgHdr();
    ByteBuffer payload = ByteBuffer.allocateDirect(1);
    msg.setIov(new ByteBuffer[] {payload});
    msg.allocateControl(4 * count);
    int n = LIBC.recvmsg(socket, msg, 0);
    if (n < 0) {
      int errno = LIBC.errno();
      if (errno == Errno.EAGAIN.intValue() || errno == Errno.EWOULDBLOCK.intValue()) {
        throw new IOException("the client did not pass its file descriptors in time");
      }
      throw error("recvmsg (receiving file descriptors)");
    }
    if (n == 0) {
      throw new IOException("peer closed the socket before passing its file descriptors");
    }
    int[] got = new int[0];
    for (CmsgHdr c : msg.getControls()) {
      if (c.getLevel() == SocketLevel.SOL_SOCKET.intValue() && c.getType() == SCM_RIGHTS) {
        ByteBuffer d = c.getData().order(ByteOrder.nativeOrder());
        int[] more = new int[d.remaining() / 4];
        for (int i = 0; i < more.length; i++) {
          more[i] = d.getInt();
        }
        int[] all = java.util.Arrays.copyOf(got, got.length + more.length);
        System.arraycopy(more, 0, all, got.length, more.length);
        got = all;
      }
    }
    if (got.length != count || payload.get(0) != MARKER) {
      for (int fd : got) {
        close(fd);
      }
      throw new IOException(
          "expected a message with "
              + count
              + " file descriptors, got "
              + got.length
              + " descriptors and payload byte "
              + (payload.get(0) & 0xff));
    }
    return got;
  }

  /** Makes {@code fd} blocking (the passed descriptors may be non-blocking for the sender). */
  static void setBlocking(int fd) throws IOException {
    int flags = LIBC.fcntl(fd, Fcntl.F_GETFL);
    if (flags < 0) {
      throw error("fcntl(F_GETFL) on fd " + fd);
    }
    int nonblock = OpenFlags.O_NONBLOCK.intValue();
    if ((flags & nonblock) != 0 && LIBC.fcntlInt(fd, Fcntl.F_SETFL, flags & ~nonblock) < 0) {
      throw error("fcntl(F_SETFL) on fd " + fd);
    }
  }

  /** Reads up to {@code len} bytes; -1 at end of input. Retries on EINTR. */
  static int read(int fd, byte[] buf, int len) throws IOException {
    while (true) {
      int n = LIBC.read(fd, buf, len);
      if (n >= 0) {
        return n == 0 ? -1 : n;
      }
      if (LIBC.errno() != Errno.EINTR.intValue()) {
        throw error("read from fd " + fd);
      }
    }
  }

  /** Writes all of {@code buf[0..len)}. */
  static void writeFully(int fd, byte[] buf, int len) throws IOException {
    int done = 0;
    byte[] rest = buf;
    while (done < len) {
      if (done > 0) {
        rest = java.util.Arrays.copyOfRange(buf, done, len);
      }
      int n = LIBC.write(fd, rest, len - done);
      if (n < 0) {
        if (LIBC.errno() == Errno.EINTR.intValue()) {
          continue;
        }
        throw error("write to fd " + fd);
      }
      done += n;
    }
  }

  static void close(int fd) {
    LIBC.close(fd);
  }

  private static IOException error(String what) {
    int errno = LIBC.errno();
    return new IOException(what + " failed: " + LIBC.strerror(errno) + " (errno " + errno + ")");
  }
}
