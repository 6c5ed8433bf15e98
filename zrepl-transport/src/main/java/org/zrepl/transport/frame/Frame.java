package org.zrepl.transport.frame;

import java.util.Objects;

/** A control frame (header, trailer or reset) read whole; data frames are never read whole. */
@SuppressWarnings("ArrayRecordComponent") // control payloads are read-only once read
public record Frame(FrameHeader header, byte[] payload) {
  public Frame {
    Objects.requireNonNull(header, "header");
    Objects.requireNonNull(payload, "payload");
    if (header.type() == FrameType.DATA) {
      throw new IllegalArgumentException("data frames are streamed, not held: " + header);
    }
  }

  public FrameType type() {
    return header.type();
  }
}
