package org.zrepl.transport.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.zrepl.port.transport.ClientIdentity;
import org.zrepl.port.transport.Connection;
import org.zrepl.port.transport.ServerLimits;
import org.zrepl.transport.frame.Handshake;
import org.zrepl.transport.local.LocalConnector;
import org.zrepl.transport.local.LocalListener;

/**
 * A flood of bad connections (a wrong handshake, a protocol error after a good one) costs the log
 * at most 20 WARN lines a window, then one line saying how many were left out; the lines that are
 * written name the cause and the peer.
 */
class ConnectionWarningsTest {
  private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);

  private final RecordingLogger logger = new RecordingLogger();
  private long now = 1_000_000L;
  private final LocalListener listener = new LocalListener("sink");
  private final RpcServer server =
      new RpcServer(
              listener,
              new TestEndpoints(),
              ServerLimits.DEFAULTS,
              ConnectionCloses.NONE,
              new RateLimitedLog(logger, 20, MINUTE, () -> now))
          .start();
  private final LocalConnector connector =
      new LocalConnector(listener, new ClientIdentity("mallory"));

  @AfterEach
  void close() throws IOException {
    server.close();
  }

  /** Connection {@code i}: odd ones say HTTP instead of the handshake, even ones a bad frame. */
  private void bad(int i) throws IOException {
    try (Connection c = connector.connect()) {
      OutputStream out = c.out();
      InputStream in = c.in();
      if (i % 2 == 1) {
        out.write("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
      } else {
        Handshake.exchange(in, out);
        out.write(new byte[] {0x7f, 0, 0, 0, 0, 0, 0, 0}); // a frame type nobody knows
        out.flush();
      }
      in.readAllBytes(); // until the server closes: its line is logged by then
    }
  }

  @Test
  void aHundredBadConnectionsLogTwentyLinesThenTheSuppressedCount() throws IOException {
    for (int i = 0; i < 100; i++) {
      bad(i);
    }
    List<String> flood = new ArrayList<>(logger.lines);

    assertThat(flood)
        .hasSize(20)
        .allSatisfy(l -> assertThat(l).startsWith("WARN client 'mallory' ("));
    assertThat(flood.get(0))
        .contains("protocol error, closing the connection")
        .contains("unknown frame type");
    assertThat(flood.get(1)).contains("handshake: peer is not a zrepl-jvm endpoint");

    now += MINUTE;
    bad(100);

    assertThat(logger.lines).hasSize(22);
    assertThat(logger.lines.get(20)).isEqualTo("WARN (80 similar warnings suppressed)");
    assertThat(logger.lines.get(21)).contains("protocol error");
  }
}
