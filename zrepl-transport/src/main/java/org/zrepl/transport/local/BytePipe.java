package org.zrepl.transport.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;

/**
 * A bounded in-memory byte pipe between two threads: a writer blocks while the ring buffer is full,
 * a reader while it is empty. Closing either end wakes the other: the reader then sees the end of
 * the stream (after the buffered bytes), the writer an {@link IOException}. Unlike {@link
 * java.io.PipedInputStream} it does not care which threads read and write.
 */
final class BytePipe {
  private final byte[] ring;
  private int head; // next byte to read
  private int size; // bytes buffered
  private boolean writerClosed;
  private boolean readerClosed;

  BytePipe(int capacity) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("capacity must be positive, got " + capacity);
    }
    ring = new byte[capacity];
  }

  final InputStream in =
      new InputStream() {
        @Override
        public int read() throws IOException {
          byte[] one = new byte[1];
          return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          return BytePipe.this.read(b, off, len);
        }

        @Override
        public int available() {
          synchronized (BytePipe.this) {
            return size;
          }
        }

        @Override
        public void close() {
          synchronized (BytePipe.this) {
            readerClosed = true;
            BytePipe.this.notifyAll();
          }
        }
      };

  final OutputStream out =
      new OutputStream() {
        @Override
        public void write(int b) throws IOException {
          write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          BytePipe.this.write(b, off, len);
        }

        @Override
        public void close() {
          synchronized (BytePipe.this) {
            writerClosed = true;
            BytePipe.this.notifyAll();
          }
        }
      };

  private synchronized int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    while (size == 0) {
      if (writerClosed) {
        return -1;
      }
      if (readerClosed) {
        throw new IOException("pipe closed by its reader");
      }
      await();
    }
    int n = Math.min(len, Math.min(size, ring.length - head));
    System.arraycopy(ring, head, b, off, n);
    head = (head + n) % ring.length;
    size -= n;
    notifyAll();
    return n;
  }

  private synchronized void write(byte[] b, int off, int len) throws IOException {
    while (len > 0) {
      if (writerClosed) {
        throw new IOException("pipe closed by its writer");
      }
      if (readerClosed) {
        throw new IOException("broken pipe: the reading end is closed");
      }
      if (size == ring.length) {
        await();
        continue;
      }
      int tail = (head + size) % ring.length;
      int n = Math.min(len, Math.min(ring.length - size, ring.length - tail));
      System.arraycopy(b, off, ring, tail, n);
      size += n;
      off += n;
      len -= n;
      notifyAll();
    }
  }

  @SuppressWarnings("WaitNotInLoop") // both callers loop and re-check their condition
  private void await() throws InterruptedIOException {
    try {
      wait();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted waiting on an in-process pipe");
    }
  }
}
