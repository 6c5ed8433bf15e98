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
 * @param encryption whether the stream is an encrypted raw send (zrepl's {@code encrypted=yes} on a
 *     step), a plaintext one, or the sender did not say (an older peer)
 */
public record SendStepResponse(
    InputStream stream, boolean resumed, OptionalLong expectedSize, Encryption encryption) {

  /** What a step's stream carries, as {@code zrepl status} marks the step. */
  public enum Encryption {
    /** An encrypted filesystem sent raw ({@code zfs send -w}, {@code send.encrypted: true}). */
    ENCRYPTED,
    /** Plaintext: an unencrypted filesystem, or an encrypted one sent decrypted. */
    PLAIN,
    /** The sender did not say. */
    UNKNOWN
  }

  public SendStepResponse {
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(expectedSize, "expectedSize");
    Objects.requireNonNull(encryption, "encryption");
  }

  /** A response whose sender does not say whether the stream is encrypted. */
  public SendStepResponse(InputStream stream, boolean resumed, OptionalLong expectedSize) {
    this(stream, resumed, expectedSize, Encryption.UNKNOWN);
  }

  /** This response with another stream (a decorator's), the rest unchanged. */
  public SendStepResponse withStream(InputStream other) {
    return new SendStepResponse(other, resumed, expectedSize, encryption);
  }
}
