package org.zrepl.app.daemon;

/** A signal the job cannot act on, with the reason for the operator. */
public final class SignalRefusedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public SignalRefusedException(String message) {
    super(message);
  }
}
