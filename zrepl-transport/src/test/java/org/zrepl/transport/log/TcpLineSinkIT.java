package org.zrepl.transport.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class TcpLineSinkIT {

  @Test
  void sendsLinesAndRetriesOnlyAfterTheInterval() throws Exception {
    try (ServerSocket server = new ServerSocket(0)) {
      Clock t0 = Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC);
      int port = server.getLocalPort();
      try (TcpLineSink sink = new TcpLineSink("127.0.0.1:" + port, Duration.ofSeconds(10), t0)) {
        sink.accept("first line");
        sink.accept("second line");
        try (Socket peer = server.accept();
            BufferedReader in =
                new BufferedReader(
                    new InputStreamReader(peer.getInputStream(), StandardCharsets.UTF_8))) {
          assertThat(in.readLine()).isEqualTo("first line");
          assertThat(in.readLine()).isEqualTo("second line");
        }
      }
    }
  }

  @Test
  void anUnreachablePeerLosesLinesWithoutThrowing() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Clock t0 = Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC);
    try (TcpLineSink sink = new TcpLineSink("127.0.0.1:" + port, Duration.ofSeconds(10), t0)) {
      sink.accept("lost");
      sink.accept("lost too (no reconnect before the retry interval)");
    }
  }
}
