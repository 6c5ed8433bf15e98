package org.zrepl.transport.log;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import org.zrepl.transport.conn.Connection;
import org.zrepl.transport.conn.Connector;
import org.zrepl.transport.tcp.TcpConnector;
import org.zrepl.transport.tls.TlsConnector;
import org.zrepl.transport.tls.TlsFiles;

/**
 * Writes log lines to a TCP peer, over TLS if built with {@link #tls}. Connects on the first line;
 * after a failure it drops lines until {@code retryInterval} has passed and then reconnects
 * (zrepl's tcp outlet does the same), so a dead log server never blocks the daemon for long.
 */
public final class TcpLineSink implements Consumer<String>, AutoCloseable {

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

  private final Connector connector;
  private final Duration retryInterval;
  private final Clock clock;
  private Connection connection;
  private OutputStream out;
  private Instant retryAt = Instant.MIN;

  /** Plain TCP to {@code address} ({@code host:port}). */
  public TcpLineSink(String address, Duration retryInterval, Clock clock) {
    this(TcpConnector.of(checked(address), CONNECT_TIMEOUT), retryInterval, clock);
  }

  private TcpLineSink(Connector connector, Duration retryInterval, Clock clock) {
    this.connector = connector;
    this.retryInterval = retryInterval;
    this.clock = clock;
  }

  /**
   * TLS to {@code address}, presenting {@code files}' certificate; the log server's certificate
   * must chain to its CA and name the host of {@code address} (as Go's TLS client, which zrepl's
   * outlet uses, demands).
   */
  public static TcpLineSink tls(
      String address, TlsFiles files, Duration retryInterval, Clock clock) {
    String host = checked(address).substring(0, address.lastIndexOf(':'));
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return new TcpLineSink(
        TlsConnector.of(address, files, host, CONNECT_TIMEOUT), retryInterval, clock);
  }

  private static String checked(String address) {
    if (address.lastIndexOf(':') <= 0) {
      throw new IllegalArgumentException(
          "tcp outlet address must be host:port, got '" + address + "'");
    }
    return address;
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
    try {
      connection = connector.connect();
      out = connection.out();
      return true;
    } catch (IOException | RuntimeException e) {
      retryAt = clock.instant().plus(retryInterval);
      return false;
    }
  }

  private void closeQuietly() {
    try {
      if (connection != null) {
        connection.close();
      }
    } catch (IOException ignored) {
      // nothing left to do with a broken connection
    }
    connection = null;
    out = null;
  }

  @Override
  public synchronized void close() {
    closeQuietly();
  }
}
