package org.zrepl.transport.frame;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Writes frames (layout in {@link FrameReader}). Control frames are flushed at once; data frames
 * are written straight from the caller's buffer and flushed by the trailer. Methods are
 * synchronized so a reset can be sent from another thread than the one streaming.
 */
public final class FrameWriter {
  private final OutputStream out;
  private final byte[] header = new byte[FrameHeader.SIZE];

  public FrameWriter(OutputStream out) {
    this.out = Objects.requireNonNull(out, "out");
  }

  public synchronized void header(byte[] json, boolean endOfMessage) throws IOException {
    write(FrameType.HEADER, endOfMessage, json, 0, json.length);
    out.flush();
  }

  public synchronized void data(byte[] b, int off, int len) throws IOException {
    write(FrameType.DATA, false, b, off, len);
  }

  public synchronized void trailer(byte[] json) throws IOException {
    write(FrameType.TRAILER, true, json, 0, json.length);
    out.flush();
  }

  public synchronized void reset(String reasonJson) throws IOException {
    byte[] b = reasonJson.getBytes(StandardCharsets.UTF_8);
    write(FrameType.RESET, true, b, 0, Math.min(b.length, FrameType.RESET.maxLength()));
    out.flush();
  }

  public synchronized void flush() throws IOException {
    out.flush();
  }

  private void write(FrameType type, boolean end, byte[] b, int off, int len) throws IOException {
    new FrameHeader(type, end, len); // checks the limit
    header[0] = (byte) type.code();
    header[1] = (byte) (end ? FrameHeader.FLAG_END : 0);
    header[2] = 0;
    header[3] = 0;
    header[4] = (byte) (len >>> 24);
    header[5] = (byte) (len >>> 16);
    header[6] = (byte) (len >>> 8);
    header[7] = (byte) len;
    out.write(header);
    out.write(b, off, len);
  }
}
