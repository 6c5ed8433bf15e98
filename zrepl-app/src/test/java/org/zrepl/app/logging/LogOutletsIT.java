package org.zrepl.app.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.zrepl.app.config.LoggingOutlet;
import org.zrepl.app.config.LoggingOutlet.Format;
import org.zrepl.app.config.LoggingOutlet.Level;

/** A tcp outlet with {@code net: udp} sends one datagram per line to a loopback UDP socket. */
class LogOutletsIT {

  private final Clock clock = Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC);

  @Test
  void udpOutletSendsOneDatagramPerLine() throws Exception {
    try (DatagramSocket server = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      server.setSoTimeout(5000);
      List<LogOutlet> outlets =
          LogOutlets.of(
              List.of(
                  new LoggingOutlet.Tcp(
                      Level.INFO,
                      Format.LOGFMT,
                      "127.0.0.1:" + server.getLocalPort(),
                      "udp",
                      Duration.ofSeconds(10),
                      Optional.empty())),
              l -> {},
              org.zrepl.app.TestAdapters.logSinks(clock),
              ZoneOffset.UTC);
      for (String msg : List.of("first", "second\nFORGED")) {
        outlets
            .get(0)
            .write(new LogEntry(clock.instant(), LogLevel.INFO, "j", "s", msg, List.of()));
      }
      assertThat(receive(server))
          .isEqualTo("time=2026-11-25T10:00:00Z level=info job=j subsystem=s msg=first\n");
      assertThat(receive(server))
          .isEqualTo(
              "time=2026-11-25T10:00:00Z level=info job=j subsystem=s msg=\"second\\nFORGED\"\n");
    }
  }

  private static String receive(DatagramSocket s) throws Exception {
    DatagramPacket p = new DatagramPacket(new byte[65_536], 65_536);
    s.receive(p);
    return new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
  }
}
