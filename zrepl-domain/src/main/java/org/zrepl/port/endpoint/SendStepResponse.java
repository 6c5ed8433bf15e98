package org.zrepl.port.endpoint;

import java.io.InputStream;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The stream of one step.
 *
 * <p>The caller reads {@code stream} (to its end, normally by handing it to {@link
 * Receiver#receive}) and then closes it. Closing after the end was reached reports whether the
 * sender succeeded: it throws an {@link EndpointException} (typically a {@link
 * StreamFailedException}) if not. Closing before the end aborts the send and throws nothing.
 *
 * @param stream the send stream; never buffered whole
 * @param resumed the stream resumes an interrupted receive
 * @param expectedSize the sender's size estimate, if it has one
 */
public record SendStepResponse(InputStream stream, boolean resumed, OptionalLong expectedSize) {

  public SendStepResponse {
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(expectedSize, "expectedSize");
  }
}
