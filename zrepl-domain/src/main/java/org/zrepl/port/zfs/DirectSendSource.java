package org.zrepl.port.zfs;

import java.util.Optional;

/**
 * Implemented by an {@link java.io.InputStream} that carries the bytes of one {@link SendStream}
 * and may hand that send over whole to {@link Zfs#receive}: an adapter that runs both commands on
 * one host then connects {@code zfs send}'s stdout to {@code zfs recv}'s stdin by a kernel pipe,
 * and no byte passes through this process. Wrappers between the sender and the receiver implement
 * it by asking the stream they wrap, and refuse where they must see the bytes (a bandwidth limit).
 *
 * <p>A receive that cannot pipe (another host, the send already read from) ignores this interface
 * and reads the stream as any other.
 */
public interface DirectSendSource {

  /**
   * The send behind this stream if a receive may take it over: nothing was read from the stream
   * yet, it is not closed, and nothing between the send and here needs to see the bytes. Asking
   * commits to nothing.
   */
  Optional<SendStream> pendingSend();

  /**
   * Takes the send over. From here on the caller owns the send's output and must not read this
   * stream; closing this stream still ends the send as before (after {@link DirectSend#received} or
   * {@link DirectSend#sendEnded} it counts as read to its end, so closing reports whether the send
   * succeeded; otherwise closing aborts the send).
   *
   * @throws IllegalStateException if {@link #pendingSend()} is empty
   */
  DirectSend takeOver();
}
