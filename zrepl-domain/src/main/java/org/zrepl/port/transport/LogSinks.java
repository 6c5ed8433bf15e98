package org.zrepl.port.transport;

import java.io.IOException;
import java.time.Duration;

/**
 * Where the network logging outlets send their lines: tcp (optionally with TLS), udp, syslog. A
 * sink reconnects by itself after {@code retryInterval}; a send that fails throws.
 */
public interface LogSinks {

  /** {@code net: tcp|tcp4|tcp6}. */
  LineSink tcp(String net, String address, Duration retryInterval);

  /**
   * {@code net: tcp} with {@code tls}: the files are read here; a bad one is an {@link
   * IllegalArgumentException} naming it.
   */
  LineSink tls(
      String net, String address, String ca, String cert, String key, Duration retryInterval);

  /** {@code net: udp|udp4|udp6}: one datagram per line. */
  LineSink udp(String net, String address, Duration retryInterval);

  /**
   * The local syslog with {@code facility} (a name such as {@code local0}; an unknown one is an
   * {@link IllegalArgumentException}) and {@code tag}.
   */
  SyslogLineSink syslog(String facility, String tag);

  /** One line at a time. */
  @FunctionalInterface
  interface LineSink {
    void send(String line) throws IOException;
  }

  /** One line at a time, with its RFC 5424 severity. */
  @FunctionalInterface
  interface SyslogLineSink {
    void send(int severity, String line) throws IOException;
  }
}
