package org.zrepl.transport.log;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import jnr.unixsocket.UnixDatagramChannel;
import jnr.unixsocket.UnixSocketAddress;

/**
 * Sends lines to the local syslog daemon as RFC 3164 datagrams on {@code /dev/log}: {@code
 * <PRI>tag: line}, the syslog daemon adding time and host. Lines are dropped while no syslog
 * listens.
 */
public final class SyslogSink {

  private static final List<String> FACILITIES =
      List.of(
          "kern",
          "user",
          "mail",
          "daemon",
          "auth",
          "syslog",
          "lpr",
          "news",
          "uucp",
          "cron",
          "authpriv",
          "ftp",
          "ntp",
          "security",
          "console",
          "solaris-cron",
          "local0",
          "local1",
          "local2",
          "local3",
          "local4",
          "local5",
          "local6",
          "local7");

  private final int facility;
  private final String tag;
  private final UnixSocketAddress target;
  private UnixDatagramChannel channel;

  public SyslogSink(int facility, String tag) {
    this(facility, tag, new File("/dev/log"));
  }

  SyslogSink(int facility, String tag, File socket) {
    if (facility < 0 || facility >= FACILITIES.size()) {
      throw new IllegalArgumentException("syslog facility must be 0..23, got " + facility);
    }
    this.facility = facility;
    this.tag = tag;
    this.target = new UnixSocketAddress(socket);
  }

  /** The facility number of a name such as {@code local0}. */
  public static int facility(String name) {
    int i = FACILITIES.indexOf(name);
    if (i < 0) {
      throw new IllegalArgumentException(
          "unknown syslog facility '" + name + "', expected one of " + FACILITIES);
    }
    return i;
  }

  /** The datagram for one line. */
  String datagram(int severity, String line) {
    return "<" + (facility * 8 + severity) + ">" + tag + ": " + line;
  }

  /** Sends the line, or drops it quietly (see {@link #deliver}). */
  public void send(int severity, String line) {
    try {
      deliver(severity, line);
    } catch (IOException dropped) {
      // the caller chose not to count drops
    }
  }

  /** Sends the line; throws when it could not (no syslog daemon listening, a full buffer). */
  public synchronized void deliver(int severity, String line) throws IOException {
    try {
      if (channel == null) {
        channel = UnixDatagramChannel.open();
      }
      channel.send(
          ByteBuffer.wrap(datagram(severity, line).getBytes(StandardCharsets.UTF_8)), target);
    } catch (IOException e) {
      channel = null;
      throw new IOException("sending to syslog at " + target + " failed", e);
    }
  }
}
