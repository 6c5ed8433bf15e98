package org.zrepl.port.endpoint;

/** The endpoint's ZFS cannot do what the job's configuration asks (an option, a feature). */
public class EndpointUnsupportedException extends EndpointException {

  public EndpointUnsupportedException(String message, Throwable cause) {
    super(message, false, cause);
  }
}
