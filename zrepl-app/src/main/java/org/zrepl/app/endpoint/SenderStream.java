package org.zrepl.app.endpoint;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.OptionalLong;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.port.zfs.DirectSend;
import org.zrepl.port.zfs.DirectSendSource;
import org.zrepl.port.zfs.SendStream;
import org.zrepl.port.zfs.ZfsException;

/**
 * The data of a running {@code zfs send} with the close semantics of {@code SendStepResponse}:
 * closing after the end waits for {@code zfs send} and throws an endpoint exception if it failed;
 * closing before the end aborts it. What was held for the step stays held: the engine decides, by
 * {@code sendCompleted}, whether the receiver's resumable state still needs it.
 *
 * <p>Until the first read, a local receive may {@linkplain DirectSendSource take the send over} (a
 * kernel pipe between the two commands); its report of the end counts as reading to the end.
 */
final class SenderStream extends InputStream implements DirectSendSource {

  private final DatasetPath filesystem;
  private final SendStream send;
  private InputStream data;
  private boolean atEnd;
  private boolean closed;
  private boolean takenOver;

  SenderStream(DatasetPath filesystem, SendStream send) {
    this.filesystem = filesystem;
    this.send = send;
  }

  private InputStream data() {
    if (takenOver) {
      throw new IllegalStateException("the send of " + filesystem + " was taken over by a receive");
    }
    if (data == null) {
      try {
        data = send.data(); // zfs send starts here (or when a receive takes it over)
      } catch (ZfsException e) {
        throw ZfsFailures.ofSend(filesystem, e);
      }
    }
    return data;
  }

  @Override
  public int read() throws IOException {
    int b = data().read();
    if (b < 0) {
      atEnd = true;
    }
    return b;
  }

  @Override
  public int read(byte[] buf, int off, int len) throws IOException {
    int n = data().read(buf, off, len);
    if (n < 0) {
      atEnd = true;
    }
    return n;
  }

  @Override
  public int available() throws IOException {
    return data().available();
  }

  @Override
  public synchronized Optional<SendStream> pendingSend() {
    return data == null && !closed && !takenOver ? Optional.of(send) : Optional.empty();
  }

  @Override
  public synchronized DirectSend takeOver() {
    if (pendingSend().isEmpty()) {
      throw new IllegalStateException("the send of " + filesystem + " cannot be taken over");
    }
    takenOver = true;
    return new DirectSend() {
      @Override
      public SendStream send() {
        return send;
      }

      @Override
      public void received(OptionalLong bytes) {
        ended();
      }

      @Override
      public void sendEnded() {
        ended();
      }

      @Override
      public void onStop(Runnable stop) {
        // nobody stops a stream at this layer; the engine's wrapper does
      }
    };
  }

  private synchronized void ended() {
    atEnd = true;
  }

  @Override
  public void close() {
    boolean end;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      end = atEnd;
    }
    if (!end) {
      send.close();
      return;
    }
    try {
      send.finish();
    } catch (ZfsException e) {
      throw ZfsFailures.ofSend(filesystem, e);
    } finally {
      send.close();
    }
  }
}
