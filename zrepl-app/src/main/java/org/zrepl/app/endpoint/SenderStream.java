package org.zrepl.app.endpoint;

import java.io.IOException;
import java.io.InputStream;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.port.zfs.SendStream;
import org.zrepl.port.zfs.ZfsException;

/**
 * The data of a running {@code zfs send} with the close semantics of {@code SendStepResponse}:
 * closing after the end waits for {@code zfs send} and throws an endpoint exception if it failed;
 * closing before the end aborts it. What was held for the step stays held: the engine decides, by
 * {@code sendCompleted}, whether the receiver's resumable state still needs it.
 */
final class SenderStream extends InputStream {

  private final DatasetPath filesystem;
  private final SendStream send;
  private final InputStream data;
  private boolean atEnd;
  private boolean closed;

  SenderStream(DatasetPath filesystem, SendStream send) {
    this.filesystem = filesystem;
    this.send = send;
    this.data = send.data();
  }

  @Override
  public int read() throws IOException {
    int b = data.read();
    if (b < 0) {
      atEnd = true;
    }
    return b;
  }

  @Override
  public int read(byte[] buf, int off, int len) throws IOException {
    int n = data.read(buf, off, len);
    if (n < 0) {
      atEnd = true;
    }
    return n;
  }

  @Override
  public int available() throws IOException {
    return data.available();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (!atEnd) {
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
