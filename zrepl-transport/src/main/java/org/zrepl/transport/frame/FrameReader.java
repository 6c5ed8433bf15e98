package org.zrepl.transport.frame;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * Parses frames off a connection and hands them on; it knows nothing of calls or JSON.
 *
 * <pre>
 *  0       1       2       3       4       5       6       7
 * +-------+-------+-------+-------+-------+-------+-------+-------+
 * | type  | flags |   reserved    |     length (uint32, big end.) |
 * +-------+-------+-------+-------+-------+-------+-------+-------+
 * |                 payload (length bytes) ...                    |
 * +---------------------------------------------------------------+
 * type:     1 header, 2 data, 3 trailer, 4 reset
 * flags:    bit 0 END: the last frame of its message; other bits 0
 * reserved: 0
 * length:   at most the type's limit (header 1 MiB, data 8 MiB,
 *           trailer and reset 64 KiB), checked before the payload
 * </pre>
 *
 * <p>Call {@link #nextHeader()}, then consume the payload with {@link #readPayload()} (control
 * frames) or {@link #readData} (data frames, straight into the caller's buffer). Not thread-safe:
 * one thread reads a connection at a time.
 */
public final class FrameReader {
  private final InputStream in;
  private final byte[] header = new byte[FrameHeader.SIZE];
  private FrameHeader current;
  private int remaining;

  public FrameReader(InputStream in) {
    this.in = Objects.requireNonNull(in, "in");
  }

  /**
   * Reads the next frame's header, after skipping what is left of the current payload. Returns
   * {@code null} when the peer closed the connection at a frame boundary.
   *
   * @throws ProtocolException for a short header, an unknown type or flags, a length over the
   *     type's limit
   */
  public FrameHeader nextHeader() throws IOException {
    skipPayload();
    int got = readUpTo(header, 0, FrameHeader.SIZE);
    if (got == 0) {
      current = null;
      return null;
    }
    if (got < FrameHeader.SIZE) {
      throw new ProtocolException(
          "short frame header: got " + got + " of " + FrameHeader.SIZE + " bytes");
    }
    FrameType type = FrameType.ofCode(header[0] & 0xff);
    int flags = header[1] & 0xff;
    if ((flags & ~FrameHeader.FLAG_END) != 0 || header[2] != 0 || header[3] != 0) {
      throw new ProtocolException(
          String.format(
              "%s has unknown flags 0x%02x%02x%02x",
              type.label(), flags, header[2] & 0xff, header[3] & 0xff));
    }
    long length =
        ((header[4] & 0xffL) << 24)
            | ((header[5] & 0xffL) << 16)
            | ((header[6] & 0xffL) << 8)
            | (header[7] & 0xffL);
    if (length > type.maxLength()) {
      throw new ProtocolException(
          type.label() + " of " + length + " bytes exceeds limit " + type.maxLength());
    }
    boolean end = (flags & FrameHeader.FLAG_END) != 0;
    if (type == FrameType.DATA && end) {
      throw new ProtocolException("data frame must not end a message (a trailer does)");
    }
    if ((type == FrameType.TRAILER || type == FrameType.RESET) && !end) {
      throw new ProtocolException(type.label() + " must end its message");
    }
    current = new FrameHeader(type, end, (int) length);
    remaining = current.length();
    return current;
  }

  /**
   * Reads the next frame, which must be a control frame, whole; {@code null} at a clean end of the
   * connection.
   */
  public Frame nextControl() throws IOException {
    FrameHeader h = nextHeader();
    if (h == null) {
      return null;
    }
    if (h.type() == FrameType.DATA) {
      throw new ProtocolException(
          "expected a header, trailer or reset frame, got data frame of " + h.length() + " bytes");
    }
    return new Frame(h, readPayload());
  }

  /**
   * Reads the whole payload of the current frame. The buffer grows as bytes arrive: a peer that
   * promises a 1 MiB header and sends nothing costs 64 KiB, not 1 MiB.
   */
  public byte[] readPayload() throws IOException {
    if (remaining <= CHUNK) {
      byte[] out = new byte[remaining];
      readFully(out, 0, out.length);
      return out;
    }
    java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream(CHUNK);
    byte[] chunk = new byte[CHUNK];
    while (remaining > 0) {
      int n = readData(chunk, 0, Math.min(chunk.length, remaining));
      buf.write(chunk, 0, n);
    }
    return buf.toByteArray();
  }

  private static final int CHUNK = 64 << 10;

  /**
   * Reads up to {@code len} bytes of the current frame's payload into {@code b}; returns -1 when
   * the payload is consumed.
   */
  public int readData(byte[] b, int off, int len) throws IOException {
    if (remaining == 0) {
      return -1;
    }
    int n = in.read(b, off, Math.min(len, remaining));
    if (n < 0) {
      throw truncated();
    }
    remaining -= n;
    return n;
  }

  /** Bytes of the current payload not yet read. */
  public int remaining() {
    return remaining;
  }

  private void skipPayload() throws IOException {
    byte[] scratch = null;
    while (remaining > 0) {
      if (scratch == null) {
        scratch = new byte[Math.min(remaining, 64 << 10)];
      }
      readData(scratch, 0, Math.min(scratch.length, remaining));
    }
  }

  private void readFully(byte[] b, int off, int len) throws IOException {
    int done = 0;
    while (done < len) {
      int n = readData(b, off + done, len - done);
      if (n < 0) {
        throw truncated();
      }
      done += n;
    }
  }

  private EOFException truncated() {
    int got = current.length() - remaining;
    EOFException e =
        new EOFException(
            current.type().label()
                + " truncated: got "
                + got
                + " of "
                + current.length()
                + " payload bytes");
    remaining = 0;
    return e;
  }

  private int readUpTo(byte[] b, int off, int len) throws IOException {
    int done = 0;
    while (done < len) {
      int n = in.read(b, off + done, len - done);
      if (n < 0) {
        break;
      }
      done += n;
    }
    return done;
  }
}
