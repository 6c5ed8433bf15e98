package org.zrepl.zfs.fake;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import org.zrepl.port.zfs.DirectSend;
import org.zrepl.port.zfs.DirectSendSource;
import org.zrepl.port.zfs.SendStream;

/**
 * The fake's side of {@link DirectSendSource}: a receive takes over a send of the same fake, as
 * {@code CliZfs} connects the two commands by a kernel pipe. The bytes go straight from the fake
 * send to the fake receive; the length is reported exactly (the real {@code zfs recv -v} rounds it
 * to three digits, which no test should depend on). A stop makes the receive fail as a killed
 * {@code zfs recv} does; a send the test cut short is reported as {@linkplain DirectSend#sendEnded
 * ended}, so its failure is the cause, as with the real pipe.
 */
final class FakeDirectReceive {

  private FakeDirectReceive() {}

  static boolean tryReceive(
      Object fake, InputStream stream, Consumer<InputStream> receive, List<String> argv, Tap tap) {
    if (!(stream instanceof DirectSendSource source)) {
      return false;
    }
    Optional<SendStream> pending = source.pendingSend();
    if (pending.isEmpty()
        || !(pending.get() instanceof FakeSendStream send)
        || !send.madeBy(fake)) {
      return false;
    }
    DirectSend handOff = source.takeOver();
    Piped piped = new Piped(send.data(), tap);
    handOff.onStop(() -> piped.stopped = true);
    try {
      receive.accept(piped);
    } catch (RuntimeException e) {
      if (piped.stopped) {
        throw FakeState.failed(
            argv, "stopped (both zfs send and zfs recv were killed): " + e.getMessage());
      }
      if (send.cut()) {
        handOff.sendEnded();
      }
      throw e;
    }
    if (piped.stopped) {
      throw FakeState.failed(argv, "stopped (both zfs send and zfs recv were killed)");
    }
    handOff.received(OptionalLong.of(piped.count));
    return true;
  }

  /** A test's action once {@code bytes} went through the pipe. */
  record Tap(long bytes, Runnable action) {}

  /** The "pipe": counts, and breaks once stopped. */
  private static final class Piped extends FilterInputStream {
    volatile boolean stopped;
    long count;
    private Tap tap;

    Piped(InputStream in, Tap tap) {
      super(in);
      this.tap = tap;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (stopped) {
        throw new IOException("zfs send was killed");
      }
      int n = super.read(b, off, Math.min(len, 8192));
      if (n > 0) {
        count += n;
        if (tap != null && count >= tap.bytes()) {
          Runnable action = tap.action();
          tap = null;
          action.run();
          if (stopped) {
            throw new IOException("zfs send was killed");
          }
        }
      }
      return n;
    }
  }
}
