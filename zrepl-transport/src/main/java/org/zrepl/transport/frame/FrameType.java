package org.zrepl.transport.frame;

/**
 * The four kinds of frame, with their wire code and the largest payload a reader accepts. A bound
 * is checked against the header's length before a single payload byte is read.
 */
public enum FrameType {
  /** A message's JSON header: the call and its arguments, or the result. */
  HEADER(1, 1 << 20),
  /** A slice of a message's stream (snapshot data). */
  DATA(2, 8 << 20),
  /** Ends a message's stream; JSON saying whether the stream's source succeeded. */
  TRAILER(3, 64 << 10),
  /** Aborts the stream in progress; UTF-8 JSON with the reason. */
  RESET(4, 64 << 10);

  private final int code;
  private final int maxLength;

  FrameType(int code, int maxLength) {
    this.code = code;
    this.maxLength = maxLength;
  }

  public int code() {
    return code;
  }

  /** The largest payload of this type a reader accepts, in bytes. */
  public int maxLength() {
    return maxLength;
  }

  /** The frame's name as errors print it: {@code data frame}. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT) + " frame";
  }

  static FrameType ofCode(int code) throws ProtocolException {
    for (FrameType t : values()) {
      if (t.code == code) {
        return t;
      }
    }
    throw new ProtocolException(String.format("unknown frame type 0x%02x", code));
  }
}
