package org.zrepl.zfs.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.zrepl.port.zfs.DirectSend;
import org.zrepl.port.zfs.DirectSendSource;
import org.zrepl.port.zfs.SendStream;
import org.zrepl.port.zfs.ZfsException;

/**
 * A receive connected to a {@code zfs send} of the same launcher by a kernel pipe ({@link
 * ProcessBuilder#startPipeline}): the stream never enters this process, which runs at the raw
 * {@code zfs send | zfs recv} speed.
 *
 * <ul>
 *   <li>Bytes: this process no longer sees them, so the receive runs with {@code -v} and its
 *       summary ({@code received 200MB stream in 1 seconds}) gives the length, to ZFS's three
 *       significant digits. Neither zfs-fuse nor OpenZFS report progress of a receive before its
 *       end.
 *   <li>Errors: zfs recv's failure is classified as for a copied stream. When it failed, the send
 *       ends too (its reader is gone); if the send failed on its own (not of a broken pipe), the
 *       send is marked {@linkplain DirectSend#sendEnded ended}, so that closing the stream reports
 *       the send's failure as the cause, as when the stream is copied.
 *   <li>Stop: the consumer's {@linkplain DirectSend#onStop stop} kills both commands (zfs recv
 *       {@code -s} keeps resumable state where ZFS has it); the receive then fails.
 * </ul>
 */
final class PipedReceive {

  private static final Pattern RECEIVED =
      Pattern.compile("(?m)^received ([0-9]+(?:\\.[0-9]+)?)([KMGTPE]?)B? stream\\b");

  private PipedReceive() {}

  /**
   * Receives {@code stream} by a pipe if it is the untouched output of a send this runner's
   * launcher can pipe; returns false (having done nothing) otherwise.
   */
  static boolean tryReceive(ShortCommandRunner runner, List<String> argv, InputStream stream) {
    if (!(stream instanceof DirectSendSource source)) {
      return false;
    }
    Optional<SendStream> pending = source.pendingSend();
    if (pending.isEmpty()
        || !(pending.get() instanceof ProcessSendStream send)
        || !send.launchedBy(runner)) {
      return false;
    }
    List<String> recvArgv = verbose(argv);
    Optional<LaunchedProcess> recv = send.startPipedInto(recvArgv);
    if (recv.isEmpty()) {
      return false;
    }
    run(recvArgv, send, recv.get(), source.takeOver());
    return true;
  }

  /** {@code zfs recv ...} with {@code -v}, which prints the stream's length at its end. */
  static List<String> verbose(List<String> argv) {
    List<String> v = new ArrayList<>(argv);
    v.add(2, "-v");
    return List.copyOf(v);
  }

  private static void run(
      List<String> argv, ProcessSendStream send, LaunchedProcess recv, DirectSend handOff) {
    AtomicBoolean stopped = new AtomicBoolean();
    handOff.onStop(
        () -> {
          stopped.set(true);
          send.kill();
          recv.kill();
        });
    try {
      recv.stdin().close();
    } catch (IOException e) {
      // stdin comes from the pipe; this end is an empty stream
    }
    StreamTail err = StreamTail.start(recv.stderr(), StreamTail.DEFAULT_LIMIT, "zfs-recv-stderr");
    StreamTail out = StreamTail.start(recv.stdout(), StreamTail.DEFAULT_LIMIT, "zfs-recv-stdout");
    try {
      int exit = recv.waitFor();
      String stderr = err.await();
      String stdout = out.await();
      if (exit == 0 && !stopped.get()) {
        handOff.received(receivedBytes(stdout));
        return;
      }
      ZfsException failure =
          stopped.get()
              ? new ZfsException(
                  argv, exit, "stopped (both zfs send and zfs recv were killed): " + stderr)
              : ErrorClassifier.classify(argv, exit, stderr, null);
      int sendExit = send.awaitExit(); // its reader is gone: it ends now
      if (!stopped.get() && sendExit != 0 && !brokenPipe(sendExit, send.stderrText())) {
        handOff.sendEnded();
      }
      throw failure;
    } catch (InterruptedException e) {
      send.kill();
      recv.kill();
      Thread.currentThread().interrupt();
      throw new ZfsException(argv, -1, "interrupted while waiting for zfs recv", e);
    }
  }

  /** The send died because its reader went away (SIGPIPE, or zfs-fuse's EPIPE warning). */
  static boolean brokenPipe(int exit, String stderr) {
    return exit == 128 + 13 || stderr.toLowerCase(Locale.ROOT).contains("broken pipe");
  }

  /**
   * The sum of the {@code received N stream} lines of {@code zfs recv -v} ({@code 50.1MB} on
   * zfs-fuse, {@code 50.1M} on OpenZFS; 1024-based units); empty if there is none.
   */
  static OptionalLong receivedBytes(String stdout) {
    Matcher m = RECEIVED.matcher(stdout);
    boolean any = false;
    double total = 0;
    while (m.find()) {
      any = true;
      int power = m.group(2).isEmpty() ? 0 : "KMGTPE".indexOf(m.group(2)) + 1;
      total += Double.parseDouble(m.group(1)) * Math.pow(1024, power);
    }
    return any ? OptionalLong.of(Math.round(total)) : OptionalLong.empty();
  }
}
