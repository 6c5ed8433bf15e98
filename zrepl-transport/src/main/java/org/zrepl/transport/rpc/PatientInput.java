package org.zrepl.transport.rpc;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;

/**
 * A served connection's input under the listener's read timeout. While the server is streaming to
 * the client (a pull), the client has nothing to say and its silence is no fault: then a timed-out
 * read is simply tried again, and once the stream has ended the client gets a whole timeout for its
 * next request. At any other time the timeout ends the read.
 */
final class PatientInput extends FilterInputStream {
  private volatile boolean patient;
  private volatile long impatientSince;

  PatientInput(InputStream in) {
    super(in);
    impatientSince = System.nanoTime();
  }

  /** Whether a silent client is being waited for indefinitely. */
  void patient(boolean p) {
    if (!p) {
      impatientSince = System.nanoTime();
    }
    this.patient = p;
  }

  /** Whether a read that began at {@code started} and timed out should be tried again. */
  private boolean tryAgain(long started) {
    return patient || impatientSince - started > 0;
  }

  @Override
  public int read() throws IOException {
    while (true) {
      long started = System.nanoTime();
      try {
        return super.read();
      } catch (SocketTimeoutException e) {
        if (!tryAgain(started)) {
          throw e;
        }
      }
    }
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    while (true) {
      long started = System.nanoTime();
      try {
        return super.read(b, off, len);
      } catch (SocketTimeoutException e) {
        if (!tryAgain(started)) {
          throw e;
        }
      }
    }
  }
}
