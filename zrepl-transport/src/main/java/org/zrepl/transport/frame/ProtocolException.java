package org.zrepl.transport.frame;

import java.io.IOException;

/**
 * The peer broke the wire protocol: a malformed frame, a frame where another was expected, a failed
 * handshake. The connection cannot be used any more. The message names the frame and the offending
 * value.
 */
public class ProtocolException extends IOException {
  private static final long serialVersionUID = 1L;

  public ProtocolException(String message) {
    super(message);
  }

  public ProtocolException(String message, Throwable cause) {
    super(message, cause);
  }
}
