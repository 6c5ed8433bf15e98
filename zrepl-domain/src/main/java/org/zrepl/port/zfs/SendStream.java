package org.zrepl.port.zfs;

import java.io.InputStream;

/**
 * A running {@code zfs send}. Read {@link #data()} to its end, then {@link #finish()} to learn
 * whether the sender succeeded. {@link #close()} without a successful finish aborts the send and
 * releases everything it holds; it never throws.
 */
public interface SendStream extends AutoCloseable {

  /** The stream bytes. Not buffered whole anywhere. */
  InputStream data();

  /** Waits for {@code zfs send} to exit; throws {@link ZfsException} if it failed. */
  void finish();

  @Override
  void close();
}
