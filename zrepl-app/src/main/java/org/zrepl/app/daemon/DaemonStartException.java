package org.zrepl.app.daemon;

/** The daemon cannot start; the message is printed plainly and the process exits non-zero. */
public final class DaemonStartException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public DaemonStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
