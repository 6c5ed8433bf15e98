package org.zrepl.port.transport;

import org.zrepl.port.endpoint.EndpointException;

/**
 * The remote endpoint could not be reached or spoke nonsense, or refused the client. An {@link
 * EndpointException}, so the engine treats it like any endpoint failure; {@link #isTemporary()}
 * follows the {@link Kind}.
 */
public class TransportException extends EndpointException {
  private static final long serialVersionUID = 1L;

  /** What went wrong. */
  public enum Kind {
    /** Dialing failed or timed out. Temporary. */
    CONNECT(true),
    /** The connection broke during a call. Temporary. */
    IO(true),
    /** The peer broke the protocol or speaks another version. Permanent. */
    PROTOCOL(false),
    /** The server does not let this client make this call. Permanent. */
    ACCESS_DENIED(false),
    /** The server could not decode the request's values. Permanent. */
    BAD_REQUEST(false);

    private final boolean temporary;

    Kind(boolean temporary) {
      this.temporary = temporary;
    }
  }

  private final Kind kind;

  public TransportException(Kind kind, String message, Throwable cause) {
    super(message, kind.temporary, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
