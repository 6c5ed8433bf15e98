package org.zrepl.port.endpoint;

/**
 * A send stream broke off or could not be received whole: the sending process died, the connection
 * dropped, or the receiver saw an incomplete stream. Temporary: where the receiver kept resumable
 * state, the next attempt resumes.
 */
public class StreamFailedException extends EndpointException {

  public StreamFailedException(String message, Throwable cause) {
    super(message, true, cause);
  }
}
