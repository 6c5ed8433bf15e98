package org.zrepl.transport.log;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

/**
 * zrepl's tcp log outlet with {@code net: udp} (or {@code udp4}, {@code udp6}): one datagram per
 * line, the line and a newline, as zrepl writes each entry with one {@code Write} on a connected
 * UDP socket. A line longer than a datagram can hold is cut at {@link #MAX_DATAGRAM} bytes. The
 * socket is connected, so an ICMP "port unreachable" from the log host fails the next send; after
 * any failure lines are dropped until {@code retryInterval} has passed, then it reconnects.
 */
public final class UdpLineSink implements AutoCloseable {

  /** The largest UDP payload over IPv4. */
  static final int MAX_DATAGRAM = 65_507;

  private final String net;
  private final Networks.HostPort target;
  private final Duration retryInterval;
  private final Clock clock;
  private DatagramSocket socket;
  private Instant retryAt = Instant.MIN;
  private String lastFailure = "";

  /** Datagrams over {@code net} ({@code udp}, {@code udp4} or {@code udp6}) to {@code address}. */
  public UdpLineSink(String net, String address, Duration retryInterval, Clock clock) {
    if (!net.startsWith("udp") || !Networks.known(net)) {
      throw new IllegalArgumentException(
          "a UDP log outlet's net must be udp, udp4 or udp6, got '" + net + "'");
    }
    this.net = net;
    this.target = Networks.HostPort.parse(address);
    this.retryInterval = retryInterval;
    this.clock = clock;
  }

  /** Sends {@code line} as one datagram; throws when it was dropped, saying why. */
  public synchronized void send(String line) throws IOException {
    if (socket == null) {
      connect();
    }
    byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
    if (bytes.length > MAX_DATAGRAM) {
      bytes = Arrays.copyOf(bytes, MAX_DATAGRAM);
      bytes[MAX_DATAGRAM - 1] = '\n';
    }
    try {
      socket.send(new DatagramPacket(bytes, bytes.length));
    } catch (IOException e) {
      closeQuietly();
      failed(e);
      throw new IOException("sending to log server " + describe() + " failed", e);
    }
  }

  private void connect() throws IOException {
    if (clock.instant().isBefore(retryAt)) {
      throw new IOException(
          "not sending to log server "
              + describe()
              + " since: "
              + lastFailure
              + "; next attempt at "
              + retryAt);
    }
    DatagramSocket s = null;
    try {
      s = new DatagramSocket();
      s.connect(new InetSocketAddress(Networks.resolve(net, target.host()), target.port()));
      socket = s;
    } catch (IOException | RuntimeException e) {
      if (s != null) {
        s.close();
      }
      failed(e);
      throw new IOException("cannot open a socket to log server " + describe(), e);
    }
  }

  private String describe() {
    String host = target.host();
    return net + ":" + (host.contains(":") ? "[" + host + "]" : host) + ":" + target.port();
  }

  private void failed(Exception e) {
    retryAt = clock.instant().plus(retryInterval);
    lastFailure = e.toString();
  }

  private void closeQuietly() {
    if (socket != null) {
      socket.close();
    }
    socket = null;
  }

  @Override
  public synchronized void close() {
    closeQuietly();
  }
}
