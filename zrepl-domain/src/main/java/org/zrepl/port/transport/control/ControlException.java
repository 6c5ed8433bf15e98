package org.zrepl.port.transport.control;

/** The control socket cannot be used: no daemon, bad directory, malformed exchange. */
public final class ControlException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public ControlException(String message) {
    super(message);
  }

  public ControlException(String message, Throwable cause) {
    super(message, cause);
  }
}
