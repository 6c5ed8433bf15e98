package org.zrepl.app.daemon;

/**
 * A serving job ({@code sink}, {@code source}) cannot open its {@code serve:} listener: the address
 * is taken, not on this machine, not permitted... The message names the job, the listener and the
 * operating system's error. At daemon start this is fatal; on reload it refuses the new
 * configuration.
 */
final class ServeFailedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  ServeFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
