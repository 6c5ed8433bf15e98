package org.zrepl.transport.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.zrepl.port.transport.ServerLimits;
import org.zrepl.transport.prometheus.PrometheusMetricsRegistry;
import org.zrepl.transport.tcp.ClientMap;
import org.zrepl.transport.tcp.TcpConnector;
import org.zrepl.transport.tcp.TcpListener;

/**
 * {@code zrepl_rpc_connections_closed_total{side,reason}} on real loopback sockets: a client that
 * is done and hangs up counts {@code done} on both sides; the server's deadlines count under the
 * {@code serve.limits} key that closed the connection, and a client that finds its pooled
 * connection closed by the server counts that.
 */
class ConnectionClosesIT {
  private static final Duration SHORT = Duration.ofMillis(150);
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Pattern SAMPLE =
      Pattern.compile(
          "zrepl_rpc_connections_closed_total\\{reason=\"([a-z_]+)\",side=\"([a-z]+)\"} (\\S+)");

  private final PrometheusMetricsRegistry registry = new PrometheusMetricsRegistry(false);
  private final ConnectionCloses closes = ConnectionCloses.on(registry);
  private TcpListener listener;
  private RpcServer server;
  private RpcClient client;

  private void serve(ServerLimits limits) throws IOException {
    listener =
        TcpListener.bind(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            ClientMap.of(Map.of("127.0.0.1", "laptop")));
    server = new RpcServer(listener, new TestEndpoints(), limits, closes).start();
    client =
        new RpcClient(
            TcpConnector.of("127.0.0.1:" + listener.port(), Duration.ofSeconds(5)), closes);
  }

  @AfterEach
  void close() throws IOException {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
  }

  /** The counts in the scrape as "side reason" to value. */
  private Map<String, Double> counts() {
    Map<String, Double> out = new java.util.TreeMap<>();
    Matcher m = SAMPLE.matcher(registry.scrape());
    while (m.find()) {
      out.put(m.group(2) + " " + m.group(1), Double.parseDouble(m.group(3)));
    }
    return out;
  }

  /** Polls the scrape until it has {@code expected} (the server counts on its own thread). */
  private Map<String, Double> awaitCounts(Map<String, Double> expected) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    Map<String, Double> now = counts();
    while (!now.entrySet().containsAll(expected.entrySet()) && System.nanoTime() < deadline) {
      java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
      now = counts();
    }
    return now;
  }

  @Test
  void aClientThatIsDoneCountsDoneOnBothSides() throws IOException {
    serve(ServerLimits.DEFAULTS);
    assertThat(new RemoteSender(client).listFilesystems()).hasSize(2);
    assertThat(counts()).as("nothing closed while the connection sits in the pool").isEmpty();

    client.close();

    assertThat(awaitCounts(Map.of("client done", 1.0, "server done", 1.0)))
        .containsExactlyInAnyOrderEntriesOf(Map.of("client done", 1.0, "server done", 1.0));
  }

  @Test
  void aSilentConnectionIsCountedUnderFirstRequestTimeout() throws IOException {
    serve(ServerLimits.DEFAULTS.withTimeouts(SHORT, SHORT, Duration.ofMinutes(2), SHORT));
    try (Socket silent = new Socket(InetAddress.getLoopbackAddress(), listener.port())) {
      silent.setSoTimeout((int) WAIT.toMillis());
      InputStream in = silent.getInputStream();
      in.readNBytes(12); // the server's handshake
      assertThat(in.read()).as("closed by the server").isEqualTo(-1);
    }

    assertThat(awaitCounts(Map.of("server first_request_timeout", 1.0)))
        .containsExactlyEntriesOf(Map.of("server first_request_timeout", 1.0));
  }

  @Test
  void anIdleConnectionClosedByTheServerIsCountedOnBothSides() throws IOException {
    serve(ServerLimits.DEFAULTS.withTimeouts(Duration.ofSeconds(10), SHORT, SHORT, SHORT));
    RemoteSender sender = new RemoteSender(client);
    assertThat(sender.listFilesystems()).hasSize(2);
    assertThat(awaitCounts(Map.of("server idle_timeout", 1.0)))
        .containsEntry("server idle_timeout", 1.0);

    // the pooled connection is dead: found so, and the read-only call repeated on a new one
    assertThat(sender.listFilesystems()).hasSize(2);

    Map<String, Double> after = counts();
    assertThat(after)
        .containsEntry("client peer_closed_idle", 1.0)
        .doesNotContainKey("server done");
    // the new connection may have idled out already as well
    assertThat(after.get("server idle_timeout")).isGreaterThanOrEqualTo(1.0);
  }
}
