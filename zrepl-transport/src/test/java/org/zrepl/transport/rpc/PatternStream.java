package org.zrepl.transport.rpc;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;

/** A deterministic stream of {@code size} bytes that counts what was read and whether it closed. */
final class PatternStream extends InputStream {
  final long size;
  final AtomicLong read = new AtomicLong();
  final AtomicBoolean closed = new AtomicBoolean();
  private final IOException failAtEnd;

  /** Run once, by the reader, when half of the stream has been read (a stalling source). */
  volatile Runnable atHalf = () -> {};

  PatternStream(long size) {
    this(size, null);
  }

  PatternStream(long size, IOException failAtEnd) {
    this.size = size;
    this.failAtEnd = failAtEnd;
  }

  static byte at(long i) {
    return (byte) (i * 31 + (i >>> 11));
  }

  static long crcOf(long size) {
    CRC32 crc = new CRC32();
    byte[] b = new byte[64 << 10];
    for (long done = 0; done < size; ) {
      int n = (int) Math.min(b.length, size - done);
      for (int i = 0; i < n; i++) {
        b[i] = at(done + i);
      }
      crc.update(b, 0, n);
      done += n;
    }
    return crc.getValue();
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    long pos = read.get();
    if (pos >= size / 2 && pos > 0) {
      Runnable r = atHalf;
      atHalf = () -> {};
      r.run();
    }
    if (pos >= size) {
      if (failAtEnd != null) {
        throw failAtEnd;
      }
      return -1;
    }
    int n = (int) Math.min(len, size - pos);
    for (int i = 0; i < n; i++) {
      b[off + i] = at(pos + i);
    }
    read.addAndGet(n);
    return n;
  }

  @Override
  public void close() {
    closed.set(true);
  }
}
