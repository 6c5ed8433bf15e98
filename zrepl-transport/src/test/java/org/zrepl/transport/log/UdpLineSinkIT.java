package org.zrepl.transport.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class UdpLineSinkIT {

  private final Clock t0 = Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC);

  @Test
  void oneDatagramPerLineToALoopbackSocket() throws Exception {
    try (DatagramSocket server = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        UdpLineSink sink =
            new UdpLineSink(
                "udp4", "localhost:" + server.getLocalPort(), Duration.ofSeconds(10), t0)) {
      server.setSoTimeout(5000);
      sink.send("first line");
      sink.send("second line");
      assertThat(receive(server)).isEqualTo("first line\n");
      assertThat(receive(server)).isEqualTo("second line\n");
    }
  }

  @Test
  void aLineLongerThanADatagramIsCutToOne() throws Exception {
    try (DatagramSocket server = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        UdpLineSink sink =
            new UdpLineSink(
                "udp", "127.0.0.1:" + server.getLocalPort(), Duration.ofSeconds(10), t0)) {
      server.setSoTimeout(5000);
      server.setReceiveBufferSize(1 << 20);
      sink.send("y".repeat(100_000));
      String got = receive(server);
      assertThat(got).hasSize(UdpLineSink.MAX_DATAGRAM).endsWith("y\n");
    }
  }

  @Test
  void noAddressOfTheFamilyFailsAndLinesAreDroppedUntilTheRetryInterval() {
    try (UdpLineSink sink = new UdpLineSink("udp4", "[::1]:5140", Duration.ofSeconds(10), t0)) {
      assertThatThrownBy(() -> sink.send("lost"))
          .isInstanceOf(IOException.class)
          .hasMessage("cannot open a socket to log server udp4:[::1]:5140")
          .cause()
          .hasMessageContaining("has no IPv4 address (net: udp4)");
      assertThatThrownBy(() -> sink.send("lost too"))
          .isInstanceOf(IOException.class)
          .hasMessageStartingWith("not sending to log server udp4:[::1]:5140 since: ")
          .hasMessageEndingWith("next attempt at 2026-11-25T10:00:10Z");
    }
  }

  @Test
  void onlyUdpNetworks() {
    assertThatThrownBy(() -> new UdpLineSink("tcp", "127.0.0.1:1", Duration.ofSeconds(1), t0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a UDP log outlet's net must be udp, udp4 or udp6, got 'tcp'");
  }

  private static String receive(DatagramSocket s) throws IOException {
    DatagramPacket p = new DatagramPacket(new byte[70_000], 70_000);
    s.receive(p);
    return new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
  }
}
