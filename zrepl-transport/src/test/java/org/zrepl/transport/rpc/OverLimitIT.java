package org.zrepl.transport.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.zrepl.transport.rpc.TestEndpoints.A;
import static org.zrepl.transport.rpc.TestEndpoints.STEP;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.zrepl.port.endpoint.ReceiveStepRequest;
import org.zrepl.port.endpoint.SendStepRequest;
import org.zrepl.port.endpoint.SendStepResponse;
import org.zrepl.port.transport.Connection;
import org.zrepl.port.transport.Connector;
import org.zrepl.port.transport.ServerLimits;
import org.zrepl.transport.tcp.ClientMap;
import org.zrepl.transport.tcp.SocketConnection;
import org.zrepl.transport.tcp.TcpConnector;
import org.zrepl.transport.tcp.TcpListener;
import org.zrepl.transport.tls.TestPki;
import org.zrepl.transport.tls.TlsConnector;
import org.zrepl.transport.tls.TlsFiles;
import org.zrepl.transport.tls.TlsListener;

/**
 * Clients beyond a server's connection limits on real loopback sockets, tcp and tls, with the
 * server playing a host starved of CPU ({@link StallingListener}: requests sent wait unread): a
 * request the client has sent is served, or answered with a refusal the client waits out and
 * retries; it is never cut off by a bare close mid-call (the 32-client fleet run at {@code
 * max_connections: 4} saw {@code Broken pipe}, {@code Stream closed} and {@code peer closed the
 * connection after 0 of 12 bytes} in its steps). Every call below is served exactly once.
 */
class OverLimitIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final long STREAM = 4_000_000;

  enum Transport {
    TCP,
    TLS
  }

  @TempDir Path dir;
  private final TestEndpoints endpoints = new TestEndpoints();
  private StallingListener listener;
  private RpcServer server;
  private int port;
  private TestPki pki;
  private Path ca;

  @AfterEach
  void close() throws IOException {
    if (server != null) {
      server.close();
    }
  }

  private void serve(Transport t, ServerLimits limits) throws IOException {
    InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    Duration read = Duration.ofSeconds(30);
    if (t == Transport.TCP) {
      TcpListener l =
          TcpListener.bind(
              any, ClientMap.of(Map.of("127.0.0.1", "laptop", "127.0.0.2", "desk")), read);
      port = l.port();
      listener = new StallingListener(l);
    } else {
      pki = TestPki.create("over-limit CA");
      ca = pki.writeCa(dir.resolve("ca.crt"));
      TestPki.Issued s =
          pki.issue(
              dir,
              "server",
              List.of("server"),
              Instant.now().minusSeconds(60),
              Instant.now().plus(Duration.ofDays(1)),
              TestPki.KeyFormat.SEC1_EC);
      TlsListener l =
          TlsListener.bind(
              any,
              TlsFiles.load(ca, s.cert(), s.key(), Clock.systemUTC()),
              List.of("laptop", "desk"),
              Duration.ofSeconds(10),
              read);
      port = l.port();
      listener = new StallingListener(l);
    }
    server = new RpcServer(listener, endpoints, limits).start();
  }

  /** A connector for {@code who} ("laptop" or "desk") on the transport being served. */
  private Connector connector(Transport t, String who) {
    if (t == Transport.TLS) {
      TestPki.Issued c = pki.issue(dir, who);
      return TlsConnector.of(
          "127.0.0.1:" + port,
          TlsFiles.load(ca, c.cert(), c.key(), Clock.systemUTC()),
          "server",
          Duration.ofSeconds(5));
    }
    if (who.equals("laptop")) {
      return TcpConnector.of("127.0.0.1:" + port, Duration.ofSeconds(5));
    }
    return new Connector() { // tcp identities are source addresses: the desk dials from 127.0.0.2
      @Override
      public Connection connect() throws IOException {
        Socket s =
            new Socket(
                InetAddress.getLoopbackAddress(), port, InetAddress.getByName("127.0.0.2"), 0);
        return new SocketConnection(s, "tcp 127.0.0.2 -> 127.0.0.1:" + port);
      }

      @Override
      public String describe() {
        return "tcp 127.0.0.1:" + port + " from 127.0.0.2";
      }
    };
  }

  private static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime() - deadline).as(what).isNegative();
      LockSupport.parkNanos(5_000_000);
    }
  }

  private long callsStartingWith(String prefix) {
    return endpoints.calls.stream().filter(c -> c.startsWith(prefix)).count();
  }

  /**
   * At the per-client limit a client's connection whose request (a pushed stream) is sent but not
   * read yet does not give way to a newcomer of the same client: the newcomer waits, and both are
   * served once the server reads again.
   */
  @ParameterizedTest
  @EnumSource(Transport.class)
  void aPushNotReadYetIsServedWhenItsOwnNewcomerArrivesAtThePerClientLimit(Transport t)
      throws Exception {
    serve(t, ServerLimits.DEFAULTS.withMaxConnections(4).withMaxPerClient(1));
    Connector laptop = connector(t, "laptop");
    try (RpcClient pushing = new RpcClient(laptop);
        RpcClient newcomer = new RpcClient(laptop)) {
      listener.stall();
      CompletableFuture<Void> push =
          CompletableFuture.runAsync(
              () ->
                  new RemoteReceiver(pushing)
                      .receive(ReceiveStepRequest.of(A, STEP), new PatternStream(STREAM)));
      await("the push's request waits unread", () -> listener.waiting() >= 1);
      CompletableFuture<Integer> list =
          CompletableFuture.supplyAsync(() -> new RemoteSender(newcomer).listFilesystems().size());
      await("the newcomer was accepted", () -> listener.accepted.get() >= 2);
      LockSupport.parkNanos(Duration.ofMillis(500).toNanos()); // the server acts on the newcomer
      listener.release();

      push.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(list.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(2);
    }
    assertThat(endpoints.received).isEqualTo(STREAM);
    assertThat(endpoints.receivedCrc).isEqualTo(PatternStream.crcOf(STREAM));
    assertThat(callsStartingWith("r.receive")).isEqualTo(1);
    assertThat(callsStartingWith("listFilesystems")).isEqualTo(1);
  }

  /**
   * At the listener's limit a client's pooled connection that looks idle to the server, but has a
   * request on its way, is closed to admit another client only with a word: the request is answered
   * "not served" and the client sends it again on a new connection, once there is room.
   */
  @ParameterizedTest
  @EnumSource(Transport.class)
  void aRequestOnAnIdleConnectionDroppedForAnotherClientIsSentAgain(Transport t) throws Exception {
    serve(t, ServerLimits.DEFAULTS.withMaxConnections(1));
    try (RpcClient laptop = new RpcClient(connector(t, "laptop"));
        RpcClient desk = new RpcClient(connector(t, "desk"))) {
      assertThat(new RemoteSender(laptop).listFilesystems()).hasSize(2); // pooled, idle
      LockSupport.parkNanos(ConnectionGuard.IDLE_GRACE.multipliedBy(2).toNanos());
      listener.stall();
      CompletableFuture<Boolean> versions =
          CompletableFuture.supplyAsync(
              () -> new RemoteSender(laptop).listVersions(List.of(A)).containsKey(A));
      await("the laptop's request waits unread", () -> listener.waiting() >= 1);
      CompletableFuture<Integer> list =
          CompletableFuture.supplyAsync(() -> new RemoteSender(desk).listFilesystems().size());
      await("the desk was accepted", () -> listener.accepted.get() >= 2);
      LockSupport.parkNanos(Duration.ofMillis(500).toNanos());
      listener.release();

      assertThat(versions.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      assertThat(list.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(2);
    }
    assertThat(callsStartingWith("listVersions")).isEqualTo(1);
    assertThat(callsStartingWith("listFilesystems")).isEqualTo(2);
  }

  /**
   * A client refused at the limit that sends its request only after the server's handshake deadline
   * (a client starved of CPU) still reads the refusal, waits and is served once the busy connection
   * is done; and a refused push costs no stream: it is admitted before it sends one.
   */
  @ParameterizedTest
  @EnumSource(Transport.class)
  void aRefusalReadLateIsWaitedOutAndTheCallServedOnceThereIsRoom(Transport t) throws Exception {
    Duration first = Duration.ofMillis(300);
    serve(
        t,
        ServerLimits.DEFAULTS
            .withMaxConnections(1)
            .withTimeouts(first, Duration.ofSeconds(10), Duration.ofMinutes(2), WAIT));
    CountDownLatch release = new CountDownLatch(1);
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
    Connector laptop = connector(t, "laptop");
    AtomicBoolean late = new AtomicBoolean(true);
    Connector lateOnce =
        new Connector() {
          @Override
          public Connection connect() throws IOException {
            Connection c = laptop.connect();
            return late.getAndSet(false) ? lateAfterHandshake(c, first.multipliedBy(3)) : c;
          }

          @Override
          public String describe() {
            return laptop.describe();
          }
        };
    try (RpcClient busy = new RpcClient(laptop);
        RpcClient slow = new RpcClient(lateOnce);
        RpcClient pushing = new RpcClient(laptop)) {
      SendStepResponse resp = new RemoteSender(busy).send(SendStepRequest.of(A, STEP));
      CompletableFuture<Integer> list =
          CompletableFuture.supplyAsync(() -> new RemoteSender(slow).listFilesystems().size());
      CompletableFuture<Void> push =
          CompletableFuture.runAsync(
              () ->
                  new RemoteReceiver(pushing)
                      .receive(ReceiveStepRequest.of(A, STEP), new PatternStream(STREAM)));
      LockSupport.parkNanos(first.multipliedBy(6).toNanos()); // the late request was refused
      assertThat(list).isNotDone();
      assertThat(push).isNotDone();
      release.countDown();
      assertThat(RpcLocalTest.crc(resp.stream())).isEqualTo(PatternStream.crcOf(1_000_000));
      resp.stream().close();
      busy.close();

      assertThat(list.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(2);
      push.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }
    assertThat(callsStartingWith("listFilesystems")).isEqualTo(1);
    assertThat(callsStartingWith("r.receive")).isEqualTo(1);
    assertThat(endpoints.received).isEqualTo(STREAM);
  }

  /** {@code c}, whose first write after the 12 handshake bytes waits {@code delay}. */
  static Connection lateAfterHandshake(Connection c, Duration delay) {
    return new Connection() {
      private long written;

      @Override
      public InputStream in() throws IOException {
        return c.in();
      }

      @Override
      public OutputStream out() throws IOException {
        OutputStream out = c.out();
        return new java.io.FilterOutputStream(out) {
          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            if (written >= 12) {
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
}
