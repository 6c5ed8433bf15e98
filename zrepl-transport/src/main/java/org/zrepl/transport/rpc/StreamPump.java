package org.zrepl.transport.rpc;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.BooleanSupplier;
import org.zrepl.transport.frame.FrameWriter;

/**
 * Copies a stream into data frames through one bounded buffer, checking between frames whether the
 * peer asked to stop. Never holds more than {@link #CHUNK} bytes of the stream.
 */
final class StreamPump {
  /** Payload size of the data frames written. */
  static final int CHUNK = 256 << 10;

  /** How a pump ended. */
  sealed interface Outcome {}

  /** The source reached its end. */
  record Completed(long bytes) implements Outcome {}

  /** The peer answered or reset before the end; the source was not read to its end. */
  record Stopped(long bytes) implements Outcome {}

  /** Reading the source failed; the connection is still in sync. */
  record SourceFailed(long bytes, IOException error) implements Outcome {}

  private StreamPump() {}

  /**
   * Copies {@code source} into data frames until its end or until {@code stop} is true.
   *
   * @throws IOException writing to the connection failed (the connection is broken)
   */
  static Outcome pump(InputStream source, FrameWriter writer, BooleanSupplier stop)
      throws IOException {
    byte[] buf = new byte[CHUNK];
    long total = 0;
    while (true) {
      if (stop.getAsBoolean()) {
        return new Stopped(total);
      }
      int n;
      try {
        n = source.read(buf, 0, buf.length);
      } catch (IOException e) {
        return new SourceFailed(total, e);
      } catch (RuntimeException e) {
        return new SourceFailed(total, new IOException(e.getMessage(), e));
      }
      if (n < 0) {
        return new Completed(total);
      }
      if (n > 0) {
        writer.data(buf, 0, n);
        total += n;
      }
    }
  }
}
