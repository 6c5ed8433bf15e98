package org.zrepl.zfs.fake;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import org.zrepl.port.zfs.SendStream;

/**
 * A finished fake {@code zfs send}: the stream bytes, optionally cut short to imitate a sender that
 * died mid-stream. Thread-safe enough for one reader and one finisher.
 */
final class FakeSendStream implements SendStream {

  private final Object owner;
  private final List<String> argv;
  private final byte[] bytes;
  private final boolean cut;
  private final CountingInput data;
  private volatile boolean closed;

  FakeSendStream(Object owner, List<String> argv, byte[] bytes, long cutAfter) {
    this.owner = owner;
    this.argv = List.copyOf(argv);
    this.cut = cutAfter >= 0 && cutAfter < bytes.length;
    this.bytes = cut ? Arrays.copyOf(bytes, (int) cutAfter) : bytes;
    this.data = new CountingInput(this.bytes);
  }

  /** Whether {@code fake} made this stream. */
  boolean madeBy(Object fake) {
    return owner == fake;
  }

  /** Whether the test cut this stream short (the send "dies" mid-stream). */
  boolean cut() {
    return cut;
  }

  List<String> argv() {
    return argv;
  }

  @Override
  public InputStream data() {
    return data;
  }

  @Override
  public void finish() {
    if (closed) {
      throw FakeState.failed(argv, "warning: cannot send '" + target() + "': stream closed");
    }
    if (cut) {
      throw FakeState.failed(
          argv, "warning: cannot send '" + target() + "': signal received (stream cut by test)");
    }
    if (data.position() < bytes.length) {
      // A real zfs send whose reader went away dies of SIGPIPE.
      throw FakeState.failed(
          argv,
          "warning: cannot send '"
              + target()
              + "': signal received (only "
              + data.position()
              + " of "
              + bytes.length
              + " bytes were read)");
    }
  }

  @Override
  public void close() {
    closed = true;
  }

  private String target() {
    return argv.get(argv.size() - 1);
  }

  /** Knows how far the reader got. */
  private static final class CountingInput extends ByteArrayInputStream {
    CountingInput(byte[] bytes) {
      super(bytes);
    }

    synchronized int position() {
      return pos;
    }
  }
}
