package org.zrepl.port.zfs;

import java.util.OptionalLong;

/**
 * A send taken over by a receive ({@link DirectSendSource#takeOver()}): the receive reports back
 * what the stream's reader would have seen, and learns when it must stop.
 */
public interface DirectSend {

  /** The send whose output the receive consumes. */
  SendStream send();

  /**
   * The receive consumed the whole stream: {@code bytes} is its length as ZFS reports it, if it
   * does ({@code zfs recv -v} prints it to three significant digits, so it may be off by up to half
   * a percent).
   */
  void received(OptionalLong bytes);

  /**
   * The send ended on its own before the receive could finish (it failed): closing the stream now
   * reports the send's failure, which is the cause of the receive's.
   */
  void sendEnded();

  /**
   * Registers what stops both commands when the consumer gives up (a cancelled run); runs it at
   * once if the consumer gave up already. The hook is dropped when the stream is closed.
   */
  void onStop(Runnable stop);
}
