package org.zrepl.port.endpoint;

/**
 * The receiver refused a stream because of its own state: it was modified since its newest
 * snapshot, the snapshot already exists, or a placeholder cannot be replaced on this ZFS.
 * Permanent: a person has to look.
 */
public class ReceiveRefusedException extends EndpointException {

  public ReceiveRefusedException(String message, Throwable cause) {
    super(message, false, cause);
  }
}
