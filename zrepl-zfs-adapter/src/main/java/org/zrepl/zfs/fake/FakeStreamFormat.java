package org.zrepl.zfs.fake;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * The fake's send stream. Not ZFS's format, but it carries what a receiver needs to behave like
 * ZFS: the guids that tie an incremental to its base, the snapshot name and creation, and the
 * content, with a checksum so corruption and truncation are detected.
 *
 * <pre>
 * stream  = MAGIC version:u8 record* END
 * MAGIC   = "ZFAKESND" (8 bytes)
 * record  = tag:u8 ('S' snapshot, 'R' resumed snapshot)
 *           toGuid:i64  fromGuid:i64 (0 = full)  creation:i64 (epoch seconds)
 *           toName:utf (u16 length + modified UTF-8, "pool/fs@snap")
 *           payloadLength:i64  offset:i64 (0 for 'S'; bytes already received for 'R')
 *           payload[offset..payloadLength)  crc32(payload):u32
 * END     = tag:u8 'E'
 * payload = propCount:i32 (name:utf value:utf)*  fileCount:i32 (name:utf length:i32 bytes)*
 * </pre>
 */
final class FakeStreamFormat {

  static final byte[] MAGIC = {'Z', 'F', 'A', 'K', 'E', 'S', 'N', 'D'};
  static final int VERSION = 1;
  static final long MAX_PAYLOAD = 1L << 30;

  /**
   * The payload entry that marks a raw stream of an encrypted filesystem; its value is the cipher.
   * The leading space keeps it apart from every valid property name.
   */
  static final String RAW_CIPHER = " raw-encrypted";

  private FakeStreamFormat() {}

  /** One snapshot record's header. */
  record Header(
      char tag,
      long toGuid,
      long fromGuid,
      long creationEpochSeconds,
      String toName,
      long payloadLength,
      long offset) {

    boolean isFull() {
      return fromGuid == 0;
    }

    /** The snapshot name without the filesystem. */
    String snapshotName() {
      return toName.substring(toName.indexOf('@') + 1);
    }
  }

  /** What the reader found next. */
  sealed interface Frame permits Complete, Truncated, End {}

  /** A record with its full payload (for 'R', the bytes after the offset only). */
  @SuppressWarnings("ArrayRecordComponent") // read-only after parsing; never leaves the fake
  record Complete(Header header, byte[] payload) implements Frame {}

  /** The stream ended inside a record's payload or checksum. */
  @SuppressWarnings("ArrayRecordComponent") // read-only after parsing; never leaves the fake
  record Truncated(Header header, byte[] payloadSoFar) implements Frame {}

  record End() implements Frame {}

  /** The stream is unusable; {@code message} is the ZFS-like reason. */
  static final class BadStreamException extends Exception {
    private static final long serialVersionUID = 1L;
    final boolean nothingRead;

    BadStreamException(String message, boolean nothingRead) {
      super(message);
      this.nothingRead = nothingRead;
    }
  }

  /** The payload of a snapshot: user properties (for {@code send -p}) and the files. */
  record Payload(Map<String, String> properties, Map<String, byte[]> files) {}

  static byte[] encodePayload(Payload p) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeInt(p.properties().size());
      for (Map.Entry<String, String> e : p.properties().entrySet()) {
        out.writeUTF(e.getKey());
        out.writeUTF(e.getValue());
      }
      out.writeInt(p.files().size());
      for (Map.Entry<String, byte[]> e : p.files().entrySet()) {
        out.writeUTF(e.getKey());
        out.writeInt(e.getValue().length);
        out.write(e.getValue());
      }
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Payload decodePayload(byte[] payload) throws BadStreamException {
    try {
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload));
      Map<String, String> props = new TreeMap<>();
      int n = in.readInt();
      for (int i = 0; i < n; i++) {
        props.put(in.readUTF(), in.readUTF());
      }
      Map<String, byte[]> files = new TreeMap<>();
      int m = in.readInt();
      for (int i = 0; i < m; i++) {
        String name = in.readUTF();
        int len = in.readInt();
        if (len < 0 || len > payload.length) {
          throw new BadStreamException("invalid backup stream (file length " + len + ")", false);
        }
        files.put(name, in.readNBytes(len));
      }
      return new Payload(props, files);
    } catch (IOException e) {
      throw new BadStreamException("invalid backup stream", false);
    }
  }

  /** Writes a stream; the caller adds records and then {@link #finish()}es. */
  static final class Writer {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final DataOutputStream out = new DataOutputStream(bytes);

    Writer() {
      try {
        out.write(MAGIC);
        out.writeByte(VERSION);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** Adds a record; for a resumed one ({@code offset > 0}) only the payload after offset. */
    Writer record(
        char tag,
        long toGuid,
        long fromGuid,
        long creation,
        String toName,
        byte[] payload,
        long offset) {
      try {
        out.writeByte(tag);
        out.writeLong(toGuid);
        out.writeLong(fromGuid);
        out.writeLong(creation);
        out.writeUTF(toName);
        out.writeLong(payload.length);
        out.writeLong(offset);
        out.write(payload, (int) offset, payload.length - (int) offset);
        CRC32 crc = new CRC32();
        crc.update(payload);
        out.writeInt((int) crc.getValue());
        return this;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    byte[] finish() {
      try {
        out.writeByte('E');
        out.flush();
        return bytes.toByteArray();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Reads a stream record by record. Checks lengths before reading payloads. */
  static final class Reader {
    private final DataInputStream in;
    private boolean started;

    Reader(InputStream in) {
      this.in = new DataInputStream(in);
    }

    /** Reads and checks the magic; call once before {@link #next}. */
    void begin() throws BadStreamException, IOException {
      byte[] magic = in.readNBytes(MAGIC.length);
      if (magic.length == 0) {
        throw new BadStreamException("failed to read from stream", true);
      }
      if (magic.length < MAGIC.length || !Arrays.equals(magic, MAGIC)) {
        throw new BadStreamException("invalid stream (bad magic number)", true);
      }
      int version = in.read();
      if (version != VERSION) {
        throw new BadStreamException("invalid stream (unsupported version " + version + ")", true);
      }
      started = true;
    }

    /**
     * The next record. {@code alreadyHave} is the payload already received for a resumed record;
     * the checksum covers it and the new bytes together.
     */
    Frame next(PayloadPrefix alreadyHave) throws BadStreamException, IOException {
      if (!started) {
        throw new IllegalStateException("begin() first");
      }
      Header h;
      try {
        int tag = in.read();
        if (tag == 'E') {
          return new End();
        }
        if (tag == -1) {
          throw new BadStreamException("checksum mismatch or incomplete stream", false);
        }
        if (tag != 'S' && tag != 'R') {
          throw new BadStreamException("invalid backup stream (record type " + tag + ")", false);
        }
        h =
            new Header(
                (char) tag,
                in.readLong(),
                in.readLong(),
                in.readLong(),
                in.readUTF(),
                in.readLong(),
                in.readLong());
      } catch (EOFException e) {
        throw new BadStreamException("checksum mismatch or incomplete stream", false);
      }
      if (h.payloadLength() < 0
          || h.payloadLength() > MAX_PAYLOAD
          || h.offset() < 0
          || h.offset() > h.payloadLength()) {
        throw new BadStreamException(
            "invalid backup stream (payload length "
                + h.payloadLength()
                + ", offset "
                + h.offset()
                + ", limit "
                + MAX_PAYLOAD
                + ")",
            false);
      }
      byte[] prefix = alreadyHave.forHeader(h);
      int remaining = (int) (h.payloadLength() - h.offset());
      byte[] rest = in.readNBytes(remaining);
      byte[] payload = concat(prefix, rest);
      if (rest.length < remaining) {
        return new Truncated(h, payload);
      }
      byte[] crcBytes = in.readNBytes(4);
      if (crcBytes.length < 4) {
        return new Truncated(h, payload);
      }
      CRC32 crc = new CRC32();
      crc.update(payload);
      int expected = ByteBuffer.wrap(crcBytes).getInt();
      if ((int) crc.getValue() != expected) {
        throw new BadStreamException("checksum mismatch or incomplete stream", false);
      }
      return new Complete(h, payload);
    }
  }

  /** Supplies the already received payload bytes a resumed record continues. */
  interface PayloadPrefix {
    byte[] forHeader(Header h) throws BadStreamException;
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
