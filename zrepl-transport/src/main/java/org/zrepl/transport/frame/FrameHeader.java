package org.zrepl.transport.frame;

import java.util.Objects;

/**
 * The fixed eight bytes in front of every frame.
 *
 * @param type what the payload is
 * @param endOfMessage this is the message's last frame
 * @param length the payload's length in bytes, within {@link FrameType#maxLength()}
 */
public record FrameHeader(FrameType type, boolean endOfMessage, int length) {
  /** Size of the encoded header. */
  public static final int SIZE = 8;

  static final int FLAG_END = 0x01;

  public FrameHeader {
    Objects.requireNonNull(type, "type");
    if (length < 0 || length > type.maxLength()) {
      throw new IllegalArgumentException(
          type.label() + " of " + length + " bytes exceeds limit " + type.maxLength());
    }
  }
}
