package org.zrepl.port.endpoint;

/**
 * An endpoint could not do what was asked. {@link #isTemporary()} tells the engine whether trying
 * the same step again may succeed (an interrupted stream) or not (a missing filesystem, a guid that
 * does not match, a receiver that was modified). The message names the filesystem and what went
 * wrong; a ZFS failure is the cause.
 */
public class EndpointException extends RuntimeException {

  private final boolean temporary;

  public EndpointException(String message, boolean temporary, Throwable cause) {
    super(message, cause);
    this.temporary = temporary;
  }

  public EndpointException(String message, boolean temporary) {
    this(message, temporary, null);
  }

  /** Whether retrying the operation may succeed. */
  public boolean isTemporary() {
    return temporary;
  }
}
