package org.zrepl.app.replication;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * A send stream on its way to the receiver: hands out at most {@link #CHUNK} bytes per read (so
 * that the bandwidth limit acts in bounded amounts and nothing is buffered whole), counts the bytes
 * and reports the running total; once the run is {@linkplain Cancellation cancelled}, reads fail.
 * Closing closes the sender's stream.
 */
final class MeteredStream extends InputStream {

  static final int CHUNK = 64 * 1024;

  private final InputStream in;
  private final List<TokenBucket> limits;
  private final LongConsumer progress;
  private final Cancellation cancel;
  private long bytes;

  /**
   * @param limits the job's bandwidth limits, each taken in turn (none: unlimited)
   * @param progress receives the total after every read
   */
  MeteredStream(
      InputStream in, List<TokenBucket> limits, LongConsumer progress, Cancellation cancel) {
    this.in = in;
    this.limits = List.copyOf(limits);
    this.progress = progress;
    this.cancel = cancel;
  }

  long bytes() {
    return bytes;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buf, int off, int len) throws IOException {
    checkCancelled();
    int n = in.read(buf, off, Math.min(len, CHUNK));
    checkCancelled(); // a cancelled stream never ends cleanly, even if this read reached the end
    if (n > 0) {
      bytes += n;
      for (TokenBucket limit : limits) {
        limit.takeInterruptibly(n);
      }
      progress.accept(bytes);
    }
    return n;
  }

  private void checkCancelled() throws IOException {
    java.util.Optional<String> why = cancel.reason();
    if (why.isPresent()) {
      throw new CancelledStreamException(why.get());
    }
  }

  /** The run was cancelled while this stream flowed. */
  static final class CancelledStreamException extends InterruptedIOException {
    private static final long serialVersionUID = 1L;

    CancelledStreamException(String why) {
      super("stream aborted: " + why);
    }
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
