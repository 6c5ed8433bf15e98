package org.zrepl.transport.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.zrepl.transport.rpc.TestEndpoints.A;
import static org.zrepl.transport.rpc.TestEndpoints.STEP;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zrepl.port.endpoint.SendStepRequest;
import org.zrepl.port.endpoint.SendStepResponse;
import org.zrepl.port.transport.Connection;
import org.zrepl.port.transport.Connector;
import org.zrepl.port.transport.ServerLimits;
import org.zrepl.port.transport.TransportException;
import org.zrepl.transport.frame.Frame;
import org.zrepl.transport.frame.FrameReader;
import org.zrepl.transport.frame.FrameWriter;
import org.zrepl.transport.tcp.ClientMap;
import org.zrepl.transport.tcp.TcpConnector;
import org.zrepl.transport.tcp.TcpListener;
import org.zrepl.transport.tls.TestPki;
import org.zrepl.transport.tls.TlsConnector;
import org.zrepl.transport.tls.TlsFiles;
import org.zrepl.transport.tls.TlsListener;

/**
 * A listener's read timeout and the server's connection limit on real loopback sockets, with a 100
 * ms timeout: silent and stalled clients are dropped while others are served, a client that is only
 * reading a long stream is not, and a client beyond the limit is told so.
 */
class ServerLimitsIT {
  private static final Duration TIMEOUT = Duration.ofMillis(100);
  private static final byte[] HELLO =
      ByteBuffer.allocate(12).put("ZREPLJVM".getBytes(StandardCharsets.US_ASCII)).putInt(1).array();

  private final TestEndpoints endpoints = new TestEndpoints();
  private TcpListener listener;
  private RpcServer server;
  private RpcClient client;

  private void serve(int maxConnections) throws IOException {
    serve(maxConnections, TIMEOUT);
  }

  private void serve(int maxConnections, Duration readTimeout) throws IOException {
    listener =
        TcpListener.bind(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            ClientMap.of(Map.of("127.0.0.1", "laptop")),
            readTimeout);
    server = new RpcServer(listener, endpoints, maxConnections).start();
    client = impatient(TcpConnector.of("127.0.0.1:" + listener.port(), Duration.ofSeconds(5)));
  }

  /**
   * A client that throws the first refusal instead of waiting it out, so that the refusal can be
   * looked at (a {@link NotServedException}: production clients wait and retry, see OverLimitIT).
   */
  private static RpcClient impatient(Connector c) {
    return new RpcClient(c, ConnectionCloses.NONE, RpcClient.Patience.NONE);
  }

  /**
   * One round trip with the default timeout first, so that loading classes for the first call
   * cannot make a client late for a 100 ms timeout.
   */
  @BeforeAll
  static void warmUp() throws IOException {
    try (TcpListener l =
            TcpListener.bind(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                ClientMap.of(Map.of("127.0.0.1", "laptop")));
        RpcServer s = new RpcServer(l, new TestEndpoints()).start();
        RpcClient c =
            new RpcClient(TcpConnector.of("127.0.0.1:" + l.port(), Duration.ofSeconds(5)))) {
      endpointsOf(c);
    }
  }

  private static void endpointsOf(RpcClient c) {
    assertThat(new RemoteSender(c).listFilesystems()).hasSize(2);
  }

  /** A new client: the pooled connections of the old one were dropped by the read timeout. */
  private RpcClient freshClient() {
    client.close();
    client = impatient(TcpConnector.of("127.0.0.1:" + listener.port(), Duration.ofSeconds(5)));
    return client;
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

  /**
   * Reads the server's handshake, then expects the server to close, not before the timeout after
   * the client's last bytes at {@code since} ({@link System#nanoTime()}), nor much later.
   */
  private static void assertDropped(InputStream in, long since) throws IOException {
    assertThat(in.readNBytes(12)).isEqualTo(HELLO);
    assertThat(in.read()).as("closed by the server").isEqualTo(-1);
    long start = since;
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(took)
        .isGreaterThanOrEqualTo(TIMEOUT.minusMillis(10))
        .isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void aClientThatSendsNothingIsDroppedAfterTheReadTimeoutWhileOthersAreServed()
      throws IOException {
    serve(8);
    long since = System.nanoTime();
    try (Socket silent = new Socket(InetAddress.getLoopbackAddress(), listener.port())) {
      assertThat(new RemoteSender(client).listFilesystems()).hasSize(2);
      assertDropped(silent.getInputStream(), since);
    }
    endpointsOf(freshClient());
  }

  @Test
  void aClientThatStallsMidFrameIsDropped() throws IOException {
    serve(8);
    try (Socket stalled = new Socket(InetAddress.getLoopbackAddress(), listener.port())) {
      stalled.getOutputStream().write(HELLO);
      stalled.getOutputStream().write(new byte[] {1, 1, 0}); // 3 of a header's 8 bytes
      assertDropped(stalled.getInputStream(), System.nanoTime());
    }
    endpointsOf(client);
  }

  @Test
  void aClientReadingAStreamLongerThanTheTimeoutIsNotDropped() throws IOException {
    // A longer timeout than the other cases, so that a busy machine cannot make the client's
    // request itself late; the stream stalls for three times as long.
    Duration timeout = Duration.ofMillis(300);
    serve(8, timeout);
    assertThat(new RemoteSender(client).listFilesystems()).hasSize(2); // warm, pooled connection
    long size = 4_000_000;
    endpoints.sendStream =
        r -> {
          PatternStream p = new PatternStream(size);
          p.atHalf = () -> LockSupport.parkNanos(timeout.multipliedBy(3).toNanos());
          return p;
        };
    SendStepResponse resp = new RemoteSender(client).send(SendStepRequest.of(A, STEP));
    assertThat(RpcLocalTest.crc(resp.stream())).isEqualTo(PatternStream.crcOf(size));
    resp.stream().close();
    // the same (pooled) connection serves the next call
    assertThat(new RemoteSender(client).listFilesystems()).hasSize(2);
  }

  /**
   * At the per-client limit the client's own idle connection makes room for its newcomer, and is
   * told so: an error its client reads in place of an answer, marked not served, so that it sends
   * that request again elsewhere.
   */
  @Test
  void anIdleConnectionMakesRoomForTheSameClientsNewcomerAndIsToldWhy() throws IOException {
    serve(1, Duration.ofSeconds(30));
    try (Socket first = new Socket(InetAddress.getLoopbackAddress(), listener.port())) {
      first.getOutputStream().write(HELLO);
      assertThat(first.getInputStream().readNBytes(12)).isEqualTo(HELLO);
      FrameWriter w = new FrameWriter(first.getOutputStream());
      FrameReader r = new FrameReader(first.getInputStream());
      w.header("{\"call\":\"sender.guarantees\"}".getBytes(StandardCharsets.UTF_8), true);
      assertThat(r.nextControl()).isNotNull(); // answered: now idle
      LockSupport.parkNanos(ConnectionGuard.IDLE_GRACE.multipliedBy(2).toNanos());
      endpointsOf(client);
      assertThat(farewell(r))
          .contains("dropped this connection to make room for another (client 'laptop' is at its")
          .contains("the request was not served; try again");
    }
  }

  /**
   * At the per-client limit a connection that has sent no request yet (that request may be on its
   * way, unread) does not give way to a newcomer of the same client: the newcomer is refused.
   */
  @Test
  void aClientsWaitingConnectionDoesNotGiveWayToItsOwnNewcomer() throws IOException {
    serve(1, Duration.ofSeconds(30));
    try (Socket first = new Socket(InetAddress.getLoopbackAddress(), listener.port())) {
      first.getOutputStream().write(HELLO);
      assertThat(first.getInputStream().readNBytes(12)).isEqualTo(HELLO); // admitted, no request
      assertThatThrownBy(() -> endpointsOf(client))
          .isInstanceOf(NotServedException.class)
          .hasMessageContaining("refuses the connection: it serves 1 connections (1 per client)");
      assertOpen(first);
    }
  }

  /** The error a dropped connection's client reads next: its message, checked to be not served. */
  private static String farewell(FrameReader r) throws IOException {
    Frame f = r.nextControl();
    assertThat(f).as("a farewell before the close").isNotNull();
    com.fasterxml.jackson.databind.JsonNode error =
        Json.parse("farewell", f.payload()).path("error");
    assertThat(RemoteErrors.decode(error)).isInstanceOf(NotServedException.class);
    return error.path("message").asText();
  }

  private void serveTwoClients(int maxConnections) throws IOException {
    listener =
        TcpListener.bind(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            ClientMap.of(Map.of("127.0.0.1", "laptop", "127.0.0.2", "desk")),
            Duration.ofSeconds(30));
    server =
        new RpcServer(
                listener,
                endpoints,
                ServerLimits.DEFAULTS.withMaxConnections(maxConnections).withMaxPerClient(2))
            .start();
    client = impatient(TcpConnector.of("127.0.0.1:" + listener.port(), Duration.ofSeconds(5)));
  }

  /** A connection from {@code from} that is admitted and sends no request. */
  private Socket waiting(String from) throws IOException {
    Socket s =
        new Socket(
            InetAddress.getLoopbackAddress(), listener.port(), InetAddress.getByName(from), 0);
    s.getOutputStream().write(HELLO);
    assertThat(s.getInputStream().readNBytes(12)).isEqualTo(HELLO);
    return s;
  }

  private static void assertOpen(Socket s) throws IOException {
    s.setSoTimeout(300);
    assertThatThrownBy(() -> s.getInputStream().read())
        .as("still open")
        .isInstanceOf(java.net.SocketTimeoutException.class);
  }

  /**
   * At the listener's limit a client's only connection does not give way to another client's new
   * one, even with no request read yet (on a starved server that request may be waiting unread):
   * the newcomer is refused, temporarily, and retries.
   */
  @Test
  void aClientsOnlyWaitingConnectionIsNotClosedForAnotherClient() throws IOException {
    serveTwoClients(2);
    try (Socket laptops = waiting("127.0.0.1");
        Socket desks = waiting("127.0.0.2")) {
      assertThatThrownBy(() -> new RemoteSender(client).listFilesystems())
          .isInstanceOf(NotServedException.class)
          .hasMessageContaining("refuses the connection: it serves 2 connections");
      assertOpen(desks);
      assertOpen(laptops);
    }
  }

  /** A client holding two waiting connections at the listener's limit gives its oldest up. */
  @Test
  void aClientWithTwoWaitingConnectionsGivesItsOldestUpForAnotherClient() throws IOException {
    serveTwoClients(3);
    try (Socket laptops = waiting("127.0.0.1");
        Socket desk1 = waiting("127.0.0.2");
        Socket desk2 = waiting("127.0.0.2")) {
      endpointsOf(client);
      assertThat(farewell(new FrameReader(desk1.getInputStream())))
          .contains("dropped this connection to make room for another (the listener is at its")
          .contains("this one had no request read yet");
      assertOpen(desk2);
      assertOpen(laptops);
    }
  }

  @Test
  void aClientBeyondTheConnectionLimitIsToldSoWhileAllAreInACallAndServedOnceASlotIsFree()
      throws IOException {
    serve(1, Duration.ofSeconds(30));
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    endpoints.sendStream =
        r -> {
          PatternStream p = new PatternStream(1_000_000);
          p.atHalf =
              () -> {
                try {
                  release.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              };
          return p;
        };
    RpcClient busy =
        new RpcClient(TcpConnector.of("127.0.0.1:" + listener.port(), Duration.ofSeconds(5)));
    SendStepResponse resp = new RemoteSender(busy).send(SendStepRequest.of(A, STEP));
    assertThatThrownBy(() -> new RemoteSender(client).listFilesystems())
        .isInstanceOf(TransportException.class)
        .hasMessage(
            "tcp listener 127.0.0.1:"
                + listener.port()
                + " refuses the connection: it serves 1 connections (1 per client) already, its"
                + " limit; try again later")
        .satisfies(e -> assertThat(((TransportException) e).isTemporary()).isTrue());
    release.countDown();
    assertThat(RpcLocalTest.crc(resp.stream())).isEqualTo(PatternStream.crcOf(1_000_000));
    resp.stream().close();
    busy.close();
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (true) { // the server notices the first client's end on its own thread
      try {
        assertThat(new RemoteSender(client).listFilesystems()).hasSize(2);
        return;
      } catch (TransportException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.onSpinWait();
      }
    }
  }

  /**
   * A client that is late with its first request after the handshake (a client starved of CPU; the
   * fleet load test's tcp clients) reads why it was dropped in place of its answer, as a temporary
   * error, instead of a connection closed without a word; its next try is served.
   */
  @Test
  void aClientLateWithItsFirstRequestIsToldItWasDroppedAtTheDeadline() throws IOException {
    Duration first = Duration.ofMillis(300);
    listener =
        TcpListener.bind(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            ClientMap.of(Map.of("127.0.0.1", "laptop")),
            Duration.ofSeconds(30));
    server =
        new RpcServer(
                listener,
                endpoints,
                org.zrepl.port.transport.ServerLimits.DEFAULTS.withTimeouts(
                    first, Duration.ofSeconds(10), Duration.ofMinutes(2), Duration.ofMinutes(10)))
            .start();
    TcpConnector tcp = TcpConnector.of("127.0.0.1:" + listener.port(), Duration.ofSeconds(5));
    java.util.concurrent.atomic.AtomicBoolean late =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    Connector lateOnce =
        new Connector() {
          @Override
          public Connection connect() throws IOException {
            Connection c = tcp.connect();
            return late.getAndSet(false) ? lateAfterHandshake(c, first.multipliedBy(3)) : c;
          }

          @Override
          public String describe() {
            return tcp.describe();
          }
        };
    client = impatient(lateOnce);
    assertThatThrownBy(() -> new RemoteSender(client).listFilesystems())
        .isInstanceOf(TransportException.class)
        .hasMessage(
            "tcp listener 127.0.0.1:"
                + listener.port()
                + " dropped this connection: its first request did not arrive within PT0.3S of the"
                + " server accepting it (serve.limits.first_request_timeout); the request was not"
                + " served. A client starved of CPU or a slow link between the handshake and the"
                + " request does this; a later try is served")
        .satisfies(e -> assertThat(((TransportException) e).isTemporary()).isTrue());
    assertThat(endpoints.calls).as("the late request was not served").isEmpty();
    endpointsOf(client);
  }

  /** {@code c}, whose first write after the 12 handshake bytes waits {@code delay}. */
  private static Connection lateAfterHandshake(Connection c, Duration delay) {
    return new Connection() {
      private long written;

      @Override
      public InputStream in() throws IOException {
        return c.in();
      }

      @Override
      public java.io.OutputStream out() throws IOException {
        java.io.OutputStream out = c.out();
        return new java.io.FilterOutputStream(out) {
          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            if (written >= HELLO.length) {
              LockSupport.parkNanos(delay.toNanos());
              written = Long.MIN_VALUE; // once
            }
            out.write(b, off, len);
            written += len;
          }
        };
      }

      @Override
      public String describe() {
        return c.describe();
      }

      @Override
      public void close() throws IOException {
        c.close();
      }
    };
  }

  @Test
  void aTlsClientThatSendsNothingAfterItsHandshakeIsDropped(@TempDir Path dir) throws IOException {
    TestPki pki = TestPki.create("limits CA");
    Path ca = pki.writeCa(dir.resolve("ca.crt"));
    TestPki.Issued s =
        pki.issue(
            dir,
            "server",
            List.of("server"),
            Instant.now().minusSeconds(60),
            Instant.now().plus(Duration.ofDays(1)),
            TestPki.KeyFormat.SEC1_EC);
    TestPki.Issued c = pki.issue(dir, "laptop");
    Clock now = Clock.systemUTC();
    try (TlsListener tls =
            TlsListener.bind(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                TlsFiles.load(ca, s.cert(), s.key(), now),
                List.of("laptop"),
                Duration.ofSeconds(10),
                TIMEOUT);
        RpcServer srv = new RpcServer(tls, endpoints).start()) {
      TlsConnector connector =
          TlsConnector.of(
              "127.0.0.1:" + tls.port(),
              TlsFiles.load(ca, c.cert(), c.key(), now),
              "server",
              Duration.ofSeconds(5));
      long since = System.nanoTime();
      try (Connection silent = connector.connect();
          RpcClient other = new RpcClient(connector)) {
        assertThat(new RemoteSender(other).listFilesystems()).hasSize(2);
        assertDropped(silent.in(), since);
      }
    }
  }
}
