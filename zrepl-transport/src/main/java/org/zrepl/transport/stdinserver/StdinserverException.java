package org.zrepl.transport.stdinserver;

/** {@code zrepl stdinserver} cannot hand its connection over; the message is for the operator. */
public final class StdinserverException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StdinserverException(String message) {
    super(message);
  }
}
