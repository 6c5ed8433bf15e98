package org.zrepl.transport.frame;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * The first bytes on every connection, sent by both sides at once before any frame:
 *
 * <pre>
 * +---+---+---+---+---+---+---+---+---+---+---+---+
 * | Z   R   E   P   L   J   V   M |    version    |
 * +---+---+---+---+---+---+---+---+---+---+---+---+
 *   8 bytes of ASCII magic          uint32, big endian
 * </pre>
 *
 * Each side checks the other's, so a version mismatch is reported on both sides alike.
 */
public final class Handshake {
  /** The protocol version this code speaks. */
  public static final int VERSION = 1;

  static final byte[] MAGIC = "ZREPLJVM".getBytes(StandardCharsets.US_ASCII);
  static final int SIZE = MAGIC.length + 4;

  private Handshake() {}

  /**
   * The peer closed the connection before its handshake was whole: nothing was exchanged yet (a
   * server at its connection limit closes what it cannot answer so).
   */
  public static final class PeerClosedException extends ProtocolException {
    private static final long serialVersionUID = 1L;

    PeerClosedException(String message) {
      super(message);
    }
  }

  /** Sends ours, reads theirs; throws if the peer is not a zrepl-jvm peer of our version. */
  public static void exchange(InputStream in, OutputStream out) throws IOException {
    exchange(in, out, VERSION);
  }

  static void exchange(InputStream in, OutputStream out, int version) throws IOException {
    out.write(ByteBuffer.allocate(SIZE).put(MAGIC).putInt(version).array());
    out.flush();
    byte[] theirs = in.readNBytes(SIZE);
    if (theirs.length < SIZE) {
      throw new PeerClosedException(
          "handshake: peer closed the connection after "
              + theirs.length
              + " of "
              + SIZE
              + " bytes (got "
              + HexFormat.ofDelimiter(" ").formatHex(theirs)
              + ")");
    }
    for (int i = 0; i < MAGIC.length; i++) {
      if (theirs[i] != MAGIC[i]) {
        throw new ProtocolException(
            "handshake: peer is not a zrepl-jvm endpoint (expected magic 'ZREPLJVM', got bytes "
                + HexFormat.ofDelimiter(" ").formatHex(theirs, 0, MAGIC.length)
                + ")");
      }
    }
    long peerVersion = ByteBuffer.wrap(theirs, MAGIC.length, 4).getInt() & 0xffffffffL;
    if (peerVersion != version) {
      throw new ProtocolException(
          "protocol version mismatch: this side speaks version "
              + version
              + ", the peer speaks version "
              + peerVersion
              + "; run the same zrepl version on both sides");
    }
  }
}
