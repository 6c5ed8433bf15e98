package org.zrepl.transport.stdinserver;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import jnr.unixsocket.UnixSocketAddress;
import jnr.unixsocket.UnixSocketChannel;
import org.zrepl.port.transport.ClientIdentity;

/**
 * The work of {@code zrepl stdinserver IDENTITY}: connects to the daemon's socket {@code
 * sockdir/IDENTITY}, passes this process's stdin and stdout (descriptors 0 and 1) to the daemon,
 * which speaks the RPC on them directly, and waits for the daemon's verdict when the session ends.
 * This process itself never reads or writes either descriptor.
 */
public final class StdinserverClient {
  /** Longest verdict line accepted, in bytes. */
  static final int MAX_VERDICT = 4096;

  private StdinserverClient() {}

  /** How the session ended: the exit status for this process and the daemon's words. */
  public record Verdict(int exitStatus, String message) {}

  /**
   * Hands descriptors {@code in} and {@code out} to the daemon serving {@code identity} in {@code
   * sockdir} and returns its verdict. Throws {@link StdinserverException} with a message for the
   * operator when there is no such daemon or socket.
   */
  public static Verdict serve(Path sockdir, String identity, int in, int out) {
    ClientIdentity id;
    try {
      id = new ClientIdentity(identity);
    } catch (IllegalArgumentException e) {
      throw new StdinserverException(e.getMessage());
    }
    Path socket = sockdir.resolve(id.name());
    if (!Files.isDirectory(sockdir)) {
      throw new StdinserverException(
          "stdinserver socket directory "
              + sockdir
              + " does not exist: is the zrepl daemon running (global.serve.stdinserver.sockdir)?");
    }
    if (!Files.exists(socket)) {
      throw new StdinserverException(
          "no daemon serves client identity '"
              + id
              + "': "
              + socket
              + " does not exist (is the daemon running, with '"
              + id
              + "' in a sink or source job's serve.client_identities?)");
    }
    UnixSocketChannel c;
    try {
      c = UnixSocketChannel.open(new UnixSocketAddress(socket.toFile()));
    } catch (IOException e) {
      throw new StdinserverException(
          "cannot connect to " + socket + " (is the zrepl daemon running?): " + e.getMessage());
    }
    try (c) {
      Fds.send(c.getFD(), in, out);
      return verdict(c, socket);
    } catch (IOException e) {
      throw new StdinserverException("stdinserver socket " + socket + ": " + e.getMessage());
    }
  }

  /** Reads the daemon's {@code "<status> <message>\n"}. */
  private static Verdict verdict(UnixSocketChannel c, Path socket) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(MAX_VERDICT);
    while (buf.hasRemaining()) {
      int n = c.read(buf);
      if (n < 0) {
        break;
      }
      if (n > 0 && buf.get(buf.position() - 1) == '\n') {
        break;
      }
    }
    String line = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8).strip();
    if (line.isEmpty()) {
      return new Verdict(
          1, "the daemon closed " + socket + " without a verdict (was it stopped or restarted?)");
    }
    int space = line.indexOf(' ');
    String status = space < 0 ? line : line.substring(0, space);
    String message = space < 0 ? "" : line.substring(space + 1);
    try {
      return new Verdict(Integer.parseInt(status), message);
    } catch (NumberFormatException e) {
      return new Verdict(1, "the daemon sent a malformed verdict: '" + line + "'");
    }
  }
}
