package org.zrepl.zfs.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a stream to its end on its own thread and keeps at most the last {@code limit} bytes. Used
 * for stderr (which must be drained while stdout or stdin is busy, or the process blocks on a full
 * pipe) and for outputs nobody needs.
 */
final class StreamTail {

  static final int DEFAULT_LIMIT = 64 * 1024;

  private final InputStream in;
  private final int limit;
  private final Thread thread;
  private byte[] buf;
  private int len;
  private boolean truncated;

  private StreamTail(InputStream in, int limit, String name) {
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be positive, got " + limit);
    }
    this.in = in;
    this.limit = limit;
    this.buf = new byte[Math.min(limit, 4096)];
    this.thread = new Thread(this::drain, name);
    this.thread.setDaemon(true);
  }

  /** Starts draining {@code in} on a new daemon thread. */
  static StreamTail start(InputStream in, int limit, String name) {
    StreamTail t = new StreamTail(in, limit, name);
    t.thread.start();
    return t;
  }

  private void drain() {
    byte[] chunk = new byte[8192];
    try (in) {
      int n;
      while ((n = in.read(chunk)) >= 0) {
        append(chunk, n);
      }
    } catch (IOException e) {
      // The process went away or the stream was closed on purpose: keep what arrived.
    }
  }

  private synchronized void append(byte[] chunk, int n) {
    if (len + n > buf.length && buf.length < limit) {
      buf = Arrays.copyOf(buf, Math.min(limit, Math.max(buf.length * 2, len + n)));
    }
    if (n >= limit) {
      System.arraycopy(chunk, n - limit, buf, 0, limit);
      len = limit;
      truncated = true;
      return;
    }
    int overflow = len + n - limit;
    if (overflow > 0) {
      System.arraycopy(buf, overflow, buf, 0, len - overflow);
      len -= overflow;
      truncated = true;
    }
    System.arraycopy(chunk, 0, buf, len, n);
    len += n;
  }

  /** Waits until the stream ended and returns its tail as UTF-8 text. */
  String await() throws InterruptedException {
    thread.join();
    return text();
  }

  /** What arrived so far, prefixed with {@code [...]} if earlier bytes were dropped. */
  synchronized String text() {
    String s = new String(buf, 0, len, StandardCharsets.UTF_8);
    return truncated ? "[...]" + s : s;
  }
}
