package org.zrepl.transport.log;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import java.util.function.Function;
import org.zrepl.port.transport.Connection;
import org.zrepl.port.transport.Connector;
import org.zrepl.transport.tcp.TcpConnector;
import org.zrepl.transport.tls.TlsConnector;
import org.zrepl.transport.tls.TlsFiles;

/**
 * Writes log lines to a TCP peer, over TLS if built with {@link #tls}. Connects on the first line;
 * after a failure it drops lines until {@code retryInterval} has passed and then reconnects
 * (zrepl's tcp outlet does the same), so a dead log server never blocks the daemon for long. With
 * {@code net} {@code tcp4} or {@code tcp6} it dials only addresses of that family, resolving the
 * host on each connect.
 */
public final class TcpLineSink implements Consumer<String>, AutoCloseable {

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

  private final String net;
  private final String address;
  private final Function<String, Connector> dial;
  private final Duration retryInterval;
  private final Clock clock;
  private Connection connection;
  private OutputStream out;
  private Instant retryAt = Instant.MIN;
  private String lastFailure = "";

  /** Plain TCP to {@code address} ({@code host:port}). */
  public TcpLineSink(String address, Duration retryInterval, Clock clock) {
    this("tcp", address, retryInterval, clock);
  }

  /** Plain TCP ({@code net} {@code tcp}, {@code tcp4} or {@code tcp6}) to {@code address}. */
  public TcpLineSink(String net, String address, Duration retryInterval, Clock clock) {
    this(net, address, a -> TcpConnector.of(a, CONNECT_TIMEOUT), retryInterval, clock);
  }

  private TcpLineSink(
      String net,
      String address,
      Function<String, Connector> dial,
      Duration retryInterval,
      Clock clock) {
    if (!net.startsWith("tcp") || !Networks.known(net)) {
      throw new IllegalArgumentException(
          "a TCP log outlet's net must be tcp, tcp4 or tcp6, got '" + net + "'");
    }
    Networks.HostPort.parse(address);
    this.net = net;
    this.address = address;
    this.dial = dial;
    this.retryInterval = retryInterval;
    this.clock = clock;
    Connector unused = dial.apply(address); // a bad address fails now, not at the first line
  }

  /**
   * TLS to {@code address}, presenting {@code files}' certificate; the log server's certificate
   * must chain to its CA and name the host of {@code address} (as Go's TLS client, which zrepl's
   * outlet uses, demands).
   */
  public static TcpLineSink tls(
      String address, TlsFiles files, Duration retryInterval, Clock clock) {
    return tls("tcp", address, files, retryInterval, clock);
  }

  /** As {@link #tls(String, TlsFiles, Duration, Clock)} over {@code net}. */
  public static TcpLineSink tls(
      String net, String address, TlsFiles files, Duration retryInterval, Clock clock) {
    String host = Networks.HostPort.parse(address).host();
    return new TcpLineSink(
        net, address, a -> TlsConnector.of(a, files, host, CONNECT_TIMEOUT), retryInterval, clock);
  }

  /** Sends {@code line}, or drops it quietly (see {@link #send}). */
  @Override
  public void accept(String line) {
    try {
      send(line);
    } catch (IOException dropped) {
      // the caller chose not to count drops
    }
  }

  /**
   * Sends {@code line} and a newline; throws when the line was dropped: the connection failed now,
   * or it failed earlier and the retry interval has not passed (the exception then says what failed
   * and when the next attempt is).
   */
  public synchronized void send(String line) throws IOException {
    if (out == null) {
      connect();
    }
    try {
      out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
    } catch (IOException e) {
      closeQuietly();
      failed(e);
      throw new IOException("writing to log server " + net + ":" + address + " failed", e);
    }
  }

  private void connect() throws IOException {
    if (clock.instant().isBefore(retryAt)) {
      throw new IOException(
          "not connected to log server "
              + net
              + ":"
              + address
              + " since: "
              + lastFailure
              + "; next attempt at "
              + retryAt);
    }
    try {
      String target =
          net.equals("tcp")
              ? address
              : Networks.address(
                  Networks.resolve(net, Networks.HostPort.parse(address).host()),
                  Networks.HostPort.parse(address).port());
      connection = dial.apply(target).connect();
      out = connection.out();
    } catch (IOException | RuntimeException e) {
      failed(e);
      throw new IOException("cannot connect to log server " + net + ":" + address, e);
    }
  }

  private void failed(Exception e) {
    retryAt = clock.instant().plus(retryInterval);
    lastFailure = e.toString();
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
