package org.zrepl.transport.log;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Writes log lines to a TCP peer. Connects on the first line; after a failure it drops lines until
 * {@code retryInterval} has passed and then reconnects (zrepl's tcp outlet does the same), so a
 * dead log server never blocks the daemon for long.
 */
public final class TcpLineSink implements Consumer<String>, AutoCloseable {

  private static final int CONNECT_TIMEOUT_MILLIS = 2000;

  private final String address;
  private final Duration retryInterval;
  private final Clock clock;
  private Socket socket;
  private OutputStream out;
  private Instant retryAt = Instant.MIN;

  public TcpLineSink(String address, Duration retryInterval, Clock clock) {
    int colon = address.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException(
          "tcp outlet address must be host:port, got '" + address + "'");
    }
    this.address = address;
    this.retryInterval = retryInterval;
    this.clock = clock;
  }

  @Override
  public synchronized void accept(String line) {
    if (out == null && !connect()) {
      return;
    }
    try {
      out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
    } catch (IOException e) {
      closeQuietly();
      retryAt = clock.instant().plus(retryInterval);
    }
  }

  private boolean connect() {
    if (clock.instant().isBefore(retryAt)) {
      return false;
    }
    int colon = address.lastIndexOf(':');
    try {
      Socket s = new Socket();
      s.connect(
          new InetSocketAddress(
              address.substring(0, colon), Integer.parseInt(address.substring(colon + 1))),
          CONNECT_TIMEOUT_MILLIS);
      socket = s;
      out = s.getOutputStream();
      return true;
    } catch (IOException | RuntimeException e) {
      retryAt = clock.instant().plus(retryInterval);
      return false;
    }
  }

  private void closeQuietly() {
    try {
      if (socket != null) {
        socket.close();
      }
    } catch (IOException ignored) {
      // nothing left to do with a broken connection
    }
    socket = null;
    out = null;
  }

  @Override
  public synchronized void close() {
    closeQuietly();
  }
}
