package org.zrepl.app.replication;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongConsumer;
import org.zrepl.port.zfs.DirectSend;
import org.zrepl.port.zfs.DirectSendSource;
import org.zrepl.port.zfs.SendStream;

/**
 * A send stream on its way to the receiver: hands out at most {@link #CHUNK} bytes per read (so
 * that the bandwidth limit acts in bounded amounts and nothing is buffered whole), counts the bytes
 * and reports the running total; once the run is {@linkplain Cancellation cancelled}, reads fail.
 * Closing closes the sender's stream.
 *
 * <p>Without a bandwidth limit, a local receive may {@linkplain DirectSendSource take the send
 * over} (a kernel pipe from {@code zfs send} into {@code zfs recv}): the count is then the length
 * the receive reports at its end, and a cancel kills both commands.
 */
final class MeteredStream extends InputStream implements DirectSendSource {

  static final int CHUNK = 64 * 1024;

  private final InputStream in;
  private final List<TokenBucket> limits;
  private final LongConsumer progress;
  private final Cancellation cancel;
  private long bytes;
  private boolean read;
  private Runnable dropStopHook = () -> {};

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
    read = true;
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
  public Optional<SendStream> pendingSend() {
    if (read || !limits.isEmpty() || cancel.isCancelled()) {
      return Optional.empty();
    }
    return in instanceof DirectSendSource s ? s.pendingSend() : Optional.empty();
  }

  @Override
  public DirectSend takeOver() {
    if (pendingSend().isEmpty()) {
      throw new IllegalStateException("this stream cannot be taken over");
    }
    DirectSend inner = ((DirectSendSource) in).takeOver();
    read = true;
    return new DirectSend() {
      @Override
      public SendStream send() {
        return inner.send();
      }

      @Override
      public void received(OptionalLong total) {
        inner.received(total);
        if (total.isPresent()) {
          bytes = total.getAsLong();
          progress.accept(bytes);
        }
      }

      @Override
      public void sendEnded() {
        inner.sendEnded();
      }

      @Override
      public void onStop(Runnable stop) {
        inner.onStop(stop);
        dropStopHook = cancel.whenCancelled(stop);
      }
    };
  }

  @Override
  public void close() throws IOException {
    dropStopHook.run();
    in.close();
  }
}
