package org.zrepl.transport.rpc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import org.zrepl.transport.frame.FrameHeader;
import org.zrepl.transport.frame.FrameReader;
import org.zrepl.transport.frame.ProtocolException;

/**
 * A message's stream as an {@link InputStream}: the payloads of its data frames, read straight into
 * the caller's buffer, up to the trailer (end of stream) or a reset (the sender aborted; reading
 * throws {@link StreamResetException}). Closing does nothing: the connection belongs to the caller.
 */
final class DataFrameInputStream extends InputStream {
  private final FrameReader reader;
  private boolean ended;
  private ObjectNode trailer;
  private String resetReason;

  DataFrameInputStream(FrameReader reader) {
    this.reader = reader;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    while (true) {
      if (resetReason != null) {
        throw new StreamResetException(resetReason);
      }
      if (ended) {
        return -1;
      }
      if (reader.remaining() > 0) {
        return reader.readData(b, off, len);
      }
      nextFrame();
    }
  }

  private void nextFrame() throws IOException {
    FrameHeader h = reader.nextHeader();
    if (h == null) {
      throw new EOFException("connection closed in the middle of a stream");
    }
    switch (h.type()) {
      case DATA -> {}
      case TRAILER -> {
        trailer = Json.parse("trailer frame", reader.readPayload());
        ended = true;
      }
      case RESET -> {
        ObjectNode o = Json.parse("reset frame", reader.readPayload());
        resetReason = o.path("message").asText("stream aborted by the peer");
        ended = true;
      }
      case HEADER ->
          throw new ProtocolException(
              "expected a data, trailer or reset frame in a stream, got header frame");
    }
  }

  /** Reads and discards the rest of the stream, up to its trailer or reset. */
  void drain() throws IOException {
    byte[] scratch = new byte[64 << 10];
    while (!ended) {
      if (reader.remaining() > 0) {
        reader.readData(scratch, 0, scratch.length);
      } else {
        nextFrame();
      }
    }
  }

  boolean ended() {
    return ended;
  }

  /** The trailer, once the stream ended with one; {@code null} otherwise. */
  ObjectNode trailer() {
    return trailer;
  }

  /** The peer's reason, when it aborted the stream with a reset; {@code null} otherwise. */
  String resetReason() {
    return resetReason;
  }

  /** Thrown by {@link #read} when the stream's sender aborted it. */
  static final class StreamResetException extends IOException {
    private static final long serialVersionUID = 1L;

    StreamResetException(String reason) {
      super("stream aborted by the peer: " + reason);
    }
  }
}
