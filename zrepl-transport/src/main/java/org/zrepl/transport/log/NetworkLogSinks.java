package org.zrepl.transport.log;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.zrepl.port.transport.LogSinks;
import org.zrepl.transport.tls.TlsFiles;

/** The {@link LogSinks} port: {@link TcpLineSink}, {@link UdpLineSink}, {@link SyslogSink}. */
public final class NetworkLogSinks implements LogSinks {

  private final Clock clock;

  public NetworkLogSinks(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public LineSink tcp(String net, String address, Duration retryInterval) {
    return new TcpLineSink(net, address, retryInterval, clock)::send;
  }

  @Override
  public LineSink tls(
      String net, String address, String ca, String cert, String key, Duration retryInterval) {
    return TcpLineSink.tls(net, address, TlsFiles.load(ca, cert, key, clock), retryInterval, clock)
        ::send;
  }

  @Override
  public LineSink udp(String net, String address, Duration retryInterval) {
    return new UdpLineSink(net, address, retryInterval, clock)::send;
  }

  @Override
  public SyslogLineSink syslog(String facility, String tag) {
    return new SyslogSink(SyslogSink.facility(facility), tag)::deliver;
  }
}
