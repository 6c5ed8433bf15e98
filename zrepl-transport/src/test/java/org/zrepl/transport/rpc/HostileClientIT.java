package org.zrepl.transport.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.zrepl.port.endpoint.SendStepRequest;
import org.zrepl.port.transport.Connection;
import org.zrepl.port.transport.Connector;
import org.zrepl.port.transport.ServerLimits;
import org.zrepl.port.transport.TransportException;
import org.zrepl.transport.tcp.ClientMap;
import org.zrepl.transport.tcp.SocketConnection;
import org.zrepl.transport.tcp.TcpConnector;
import org.zrepl.transport.tcp.TcpListener;

/**
 * A hostile client against a real server on loopback: floods of idle connections (with and without
 * the handshake), silent, slow and non-reading clients, hundreds of seeded malformed frames and
 * thousands of connect/close cycles. Each is answered with an error or a closed connection while a
 * legitimate client keeps being served, and connections, threads and heap stay bounded. {@code
 * alice} (127.0.0.1) is the attacker; {@code bob} (127.0.0.2) and alice herself are the legitimate
 * clients.
 */
class HostileClientIT {
  private static final byte[] HELLO =
      ByteBuffer.allocate(12).put("ZREPLJVM".getBytes(StandardCharsets.US_ASCII)).putInt(1).array();
  private static final InetAddress ALICE = loopback(1);
  private static final InetAddress BOB = loopback(2);
  private static final ServerLimits LIMITS =
      ServerLimits.DEFAULTS.withTimeouts(
          Duration.ofSeconds(1),
          Duration.ofSeconds(1),
          Duration.ofSeconds(3),
          Duration.ofSeconds(1));

  private final TestEndpoints endpoints = new TestEndpoints();
  private final List<Socket> sockets = new ArrayList<>();
  private TcpListener listener;
  private RpcServer server;
  private long maxHeap;
  private long maxRss;
  private int maxThreads;

  private static InetAddress loopback(int last) {
    try {
      return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) last});
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * One round trip with the default limits first, so that class loading cannot make a call late.
   */
  @BeforeAll
  static void warmUp() throws IOException {
    try (TcpListener l =
            TcpListener.bind(
                new InetSocketAddress(ALICE, 0), ClientMap.of(Map.of("127.0.0.1", "alice")));
        RpcServer s = new RpcServer(l, new TestEndpoints()).start();
        RpcClient c =
            new RpcClient(TcpConnector.of("127.0.0.1:" + l.port(), Duration.ofSeconds(5)))) {
      assertThat(new RemoteSender(c).listFilesystems()).hasSize(2);
    }
  }

  private void serve(ServerLimits limits) throws IOException {
    listener =
        TcpListener.bind(
            new InetSocketAddress(ALICE, 0),
            ClientMap.of(Map.of("127.0.0.1", "alice", "127.0.0.2", "bob")),
            Duration.ofSeconds(60));
    server = new RpcServer(listener, endpoints, limits).start();
  }

  @AfterEach
  void close() throws IOException {
    for (Socket s : sockets) {
      s.close();
    }
    if (server != null) {
      server.close();
    }
    System.out.printf(
        "HostileClientIT: max heap used %d MiB, max RSS %d MiB, max live threads %d%n",
        maxHeap >> 20, maxRss >> 20, maxThreads);
  }

  private void measure() {
    MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    maxHeap = Math.max(maxHeap, mem.getHeapMemoryUsage().getUsed());
    maxRss = Math.max(maxRss, rss());
    maxThreads = Math.max(maxThreads, threads.getThreadCount());
  }

  /** This JVM's (the server's) resident set in bytes, from /proc; 0 where there is none. */
  private static long rss() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) << 10;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux: heap and threads are still measured
    }
    return 0;
  }

  /** A client dialing from {@code from}. */
  private Connector from(InetAddress from) {
    return new Connector() {
      @Override
      public Connection connect() throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(from, 0));
        s.connect(new InetSocketAddress(ALICE, listener.port()), 5000);
        return new SocketConnection(s, "tcp from " + from.getHostAddress());
      }

      @Override
      public String describe() {
        return "loopback from " + from.getHostAddress();
      }
    };
  }

  /** A legitimate client's whole round trip, on a fresh connection. */
  private void legitimate(InetAddress from) {
    try (RpcClient c = new RpcClient(from(from))) {
      assertThat(new RemoteSender(c).listFilesystems()).hasSize(2);
    }
    measure();
  }

  private Socket raw() throws IOException {
    Socket s = new Socket();
    s.bind(new InetSocketAddress(ALICE, 0));
    s.connect(new InetSocketAddress(ALICE, listener.port()), 5000);
    sockets.add(s);
    return s;
  }

  /** Reads until the server closes; fails if it has not within {@code within}. */
  private static byte[] readUntilClosed(Socket s, Duration within) throws IOException {
    s.setSoTimeout(Math.toIntExact(within.toMillis()));
    try (InputStream in = s.getInputStream()) {
      return in.readAllBytes();
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the server did not close the connection within " + within, e);
    } catch (IOException e) {
      return new byte[0]; // reset by the server: closed too
    }
  }

  private static byte[] frame(int type, int flags, byte[] payload) {
    return frame(type, flags, payload.length, payload);
  }

  private static byte[] frame(int type, int flags, long length, byte[] payload) {
    ByteBuffer b = ByteBuffer.allocate(8 + payload.length);
    b.put((byte) type).put((byte) flags).putShort((short) 0).putInt((int) length).put(payload);
    return b.array();
  }

  @Test
  void idleFloodsWithAndWithoutHandshakeDoNotLockOutOtherClientsOrTheSameIdentity()
      throws IOException {
    serve(LIMITS);
    int before = ManagementFactory.getThreadMXBean().getThreadCount();
    for (int i = 0; i < 200; i++) {
      Socket s = raw();
      if (i % 2 == 0) {
        s.getOutputStream().write(HELLO);
      }
    }
    for (int i = 0; i < 100; i++) { // idle after one request: a handshake and a whole call
      try (RpcClient c = new RpcClient(from(ALICE))) {
        new RemoteSender(c).listFilesystems();
      } catch (TransportException e) {
        // refused or evicted: the flood may see either
      }
    }
    legitimate(BOB);
    legitimate(ALICE);
    assertThat(server.connectionCount()).isLessThanOrEqualTo(LIMITS.maxConnections());
    int threads = ManagementFactory.getThreadMXBean().getThreadCount();
    measure();
    assertThat(threads - before)
        .as("threads for 300 hostile connections")
        .isLessThan(LIMITS.maxConnections() + 20);
  }

  @Test
  void aConnectionIdleAfterItsCallIsClosedByTheIdleTimeout() throws IOException {
    serve(LIMITS);
    Socket idle = raw();
    OutputStream out = idle.getOutputStream();
    out.write(HELLO);
    out.write(
        frame(1, 1, "{\"call\":\"sender.listFilesystems\"}".getBytes(StandardCharsets.UTF_8)));
    out.flush();
    long t0 = System.nanoTime();
    byte[] got = readUntilClosed(idle, Duration.ofSeconds(10));
    assertThat(got.length).as("handshake and answer before the close").isGreaterThan(12);
    assertThat(Duration.ofNanos(System.nanoTime() - t0))
        .isGreaterThanOrEqualTo(LIMITS.idleTimeout().minusMillis(100))
        .isLessThan(LIMITS.idleTimeout().plusSeconds(3));
  }

  @Test
  void silentAndSlowClientsAreDroppedByTheirDeadlines() throws IOException {
    serve(LIMITS);
    Socket silent = raw();
    Socket handshakeOnly = raw();
    handshakeOnly.getOutputStream().write(HELLO);
    long t0 = System.nanoTime();
    readUntilClosed(silent, Duration.ofSeconds(5));
    readUntilClosed(handshakeOnly, Duration.ofSeconds(5));
    assertThat(Duration.ofNanos(System.nanoTime() - t0))
        .isGreaterThanOrEqualTo(LIMITS.handshakeTimeout().minusMillis(50))
        .isLessThan(Duration.ofSeconds(3)); // the listener's read timeout is 60 s

    // one byte of a request header every 100 ms: the header deadline ends it
    Socket slow = raw();
    OutputStream out = slow.getOutputStream();
    out.write(HELLO);
    byte[] req =
        frame(1, 1, "{\"call\":\"sender.listFilesystems\"}".getBytes(StandardCharsets.UTF_8));
    long t1 = System.nanoTime();
    boolean closed = false;
    for (int i = 0; i < req.length && !closed; i++) {
      try {
        out.write(req[i]);
        out.flush();
        LockSupport.parkNanos(Duration.ofMillis(100).toNanos()); // the slowness under test
      } catch (IOException e) {
        closed = true;
      }
      legitimateEvery(i, 10);
    }
    readUntilClosed(slow, Duration.ofSeconds(5));
    assertThat(Duration.ofNanos(System.nanoTime() - t1))
        .isLessThan(Duration.ofMillis(100L * req.length));
    legitimate(BOB);
  }

  @Test
  void aClientSendingOneBytePerSecondIsDroppedByTheHeaderDeadlineWhileOthersAreServed()
      throws Exception {
    Duration header = Duration.ofSeconds(3);
    serve(
        ServerLimits.DEFAULTS.withTimeouts(
            Duration.ofSeconds(2), header, Duration.ofSeconds(30), Duration.ofSeconds(1)));
    Socket slow = raw();
    OutputStream out = slow.getOutputStream();
    InputStream in = slow.getInputStream();
    byte[] request =
        frame(1, 1, "{\"call\":\"sender.listFilesystems\"}".getBytes(StandardCharsets.UTF_8));
    // a whole first request, answered: what follows is timed by the header deadline alone
    out.write(HELLO);
    out.write(request);
    out.flush();
    slow.setSoTimeout(5000);
    assertThat(in.readNBytes(12)).isEqualTo(HELLO);
    byte[] answer = in.readNBytes(8);
    assertThat(in.readNBytes(ByteBuffer.wrap(answer, 4, 4).getInt())).isNotEmpty();
    slow.setSoTimeout(0);
    CompletableFuture<Long> closedAt =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                while (in.read() >= 0) {
                  // the server sends nothing more before it closes
                }
              } catch (IOException e) {
                // reset by the server: closed too
              }
              return System.nanoTime();
            });
    long t1 = System.nanoTime();
    int sent = 0;
    // the second request's header, one byte a second (it would take request.length seconds)
    while (sent < request.length && !closedAt.isDone() && sent < 10) {
      try {
        out.write(request[sent]);
        out.flush();
        sent++;
      } catch (IOException e) {
        break; // closed
      }
      legitimate(BOB);
      LockSupport.parkNanos(t1 + Duration.ofSeconds(sent).toNanos() - System.nanoTime());
    }
    long closed = closedAt.get(5, TimeUnit.SECONDS);
    Duration lived = Duration.ofNanos(closed - t1);
    System.out.printf(
        "HostileClientIT: a 1 byte/s client sent %d of %d header bytes, dropped after %d ms%n",
        sent, request.length, lived.toMillis());
    assertThat(lived)
        .as("dropped by the %s header deadline", header)
        .isGreaterThanOrEqualTo(header.minusMillis(100))
        .isLessThan(header.plusSeconds(2));
    assertThat(sent).isLessThan(request.length);
    legitimate(ALICE);
  }

  private void legitimateEvery(int i, int n) {
    if (i % n == 0) {
      legitimate(BOB);
    }
  }

  @Test
  void aClientThatStopsReadingAStreamIsDroppedByTheWriteTimeout() throws IOException {
    serve(LIMITS);
    endpoints.sendStream = r -> new PatternStream(1L << 40);
    Socket s = new Socket();
    s.setReceiveBufferSize(4096);
    s.bind(new InetSocketAddress(ALICE, 0));
    s.connect(new InetSocketAddress(ALICE, listener.port()), 5000);
    sockets.add(s);
    s.getOutputStream().write(HELLO);
    // a real sender.send request, then never read
    try (RpcClient probe = new RpcClient(from(BOB))) {
      assertThat(new RemoteSender(probe).listFilesystems()).hasSize(2);
    }
    String request =
        "{\"call\":\"sender.send\",\"args\":"
            + Json.sendRequest(SendStepRequest.of(TestEndpoints.A, TestEndpoints.STEP))
            + "}";
    s.getOutputStream().write(frame(1, 1, request.getBytes(StandardCharsets.UTF_8)));
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (server.connectionCount() > 0 && System.nanoTime() < deadline) {
      legitimate(BOB);
    }
    assertThat(server.connectionCount()).as("the stalled reader was dropped").isZero();
    legitimate(BOB);
  }

  @Test
  void fiveHundredSeededMalformedFramesAreEachAnsweredOrClosedWhileOthersAreServed()
      throws IOException {
    serve(LIMITS);
    Random r = new Random(16);
    int answered = 0;
    int closedSilently = 0;
    for (int i = 0; i < 520; i++) {
      byte[] attack = malformed(r, i);
      Socket s = raw();
      try {
        OutputStream out = s.getOutputStream();
        out.write(HELLO);
        out.write(attack);
        out.flush();
        s.shutdownOutput();
      } catch (IOException e) {
        // the server closed first: that is an answer too
      }
      byte[] reply = readUntilClosed(s, Duration.ofSeconds(10));
      s.close();
      sockets.remove(s);
      if (reply.length > HELLO.length) {
        answered++;
      } else {
        closedSilently++;
      }
      legitimateEvery(i, 25);
    }
    System.out.printf(
        "HostileClientIT: 520 malformed frames: %d answered with an error, %d closed%n",
        answered, closedSilently);
    assertThat(answered).isGreaterThan(250);
    legitimate(BOB);
    legitimate(ALICE);
  }

  /** The {@code i}th malformed input, of a kind chosen by {@code i}, with seeded content. */
  private static byte[] malformed(Random r, int i) {
    switch (i % 10) {
      case 0: // random bytes
        {
          byte[] b = new byte[1 + r.nextInt(64)];
          r.nextBytes(b);
          return b;
        }
      case 1: // oversize lengths, up to the field's maximum (a uint32; 2^63 does not fit)
        return frame(1, 1, (1L << 20) + 1 + r.nextInt(Integer.MAX_VALUE), new byte[0]);
      case 2: // truncated header frame: promises more than it sends
        return Arrays.copyOf(frame(1, 1, 100, new byte[10]), 18);
      case 3: // non-JSON header
        {
          byte[] p = new byte[1 + r.nextInt(200)];
          r.nextBytes(p);
          return frame(1, 1, p);
        }
      case 4: // deeply nested JSON
        return frame(1, 1, "[".repeat(5000 + r.nextInt(50_000)).getBytes(StandardCharsets.UTF_8));
      case 5: // data frame without a header
        return frame(2, 0, new byte[1 + r.nextInt(1000)]);
      case 6: // a flood of empty frames
        {
          byte[] one = frame(1 + r.nextInt(4), r.nextInt(2), new byte[0]);
          byte[] flood = new byte[one.length * 1000];
          for (int k = 0; k < 1000; k++) {
            System.arraycopy(one, 0, flood, k * one.length, one.length);
          }
          return flood;
        }
      case 7: // unknown types and flags
        return frame(5 + r.nextInt(250), r.nextInt(256), new byte[0]);
      case 8: // a valid JSON object that is no valid call, odd names included
        {
          String[] names = {
            "..", "/etc", "pool/a@s", "pool/a#b", "%", "a b", "a\nb", "ünï", "x".repeat(300), ""
          };
          String name = names[r.nextInt(names.length)].replace("\n", "\\n");
          String[] calls = {"sender.listVersions", "receiver.listFilesystems", "nope", ""};
          String json =
              "{\"call\":\""
                  + calls[r.nextInt(calls.length)]
                  + "\",\"args\":{\"filesystems\":[\""
                  + name
                  + "\"],\"filesystem\":\""
                  + name
                  + "\"}}";
          return frame(1, 1, json.getBytes(StandardCharsets.UTF_8));
        }
      default: // a header that says a stream follows for a call without one
        return frame(
            1, 0, "{\"call\":\"sender.listFilesystems\"}".getBytes(StandardCharsets.UTF_8));
    }
  }

  @Test
  void thousandsOfConnectCloseCyclesLeaveNothingBehind() throws IOException {
    serve(LIMITS);
    int before = ManagementFactory.getThreadMXBean().getThreadCount();
    for (int i = 0; i < 3000; i++) {
      try (Socket s = new Socket()) {
        s.bind(new InetSocketAddress(ALICE, 0));
        s.connect(new InetSocketAddress(ALICE, listener.port()), 5000);
        if (i % 3 == 0) {
          s.getOutputStream().write(HELLO);
        }
      }
      if (i % 500 == 0) {
        legitimate(BOB);
      }
    }
    legitimate(BOB);
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (server.connectionCount() > 0 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(server.connectionCount()).isZero();
    measure();
    assertThat(ManagementFactory.getThreadMXBean().getThreadCount() - before)
        .isLessThan(LIMITS.maxConnections() + 20);
  }
}
