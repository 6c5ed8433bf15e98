package org.zrepl.port.endpoint;

/**
 * A snapshot or bookmark is missing or has another guid than the request says: the endpoint changed
 * since it was listed, or the receiver received something else than planned. Permanent.
 */
public class VersionMismatchException extends EndpointException {

  public VersionMismatchException(String message) {
    super(message, false);
  }
}
