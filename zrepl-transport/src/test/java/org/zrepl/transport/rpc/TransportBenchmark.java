package org.zrepl.transport.rpc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.endpoint.Guarantee;
import org.zrepl.port.endpoint.ReceiveStepRequest;
import org.zrepl.port.endpoint.Receiver;
import org.zrepl.port.endpoint.ReceiverFilesystem;
import org.zrepl.port.endpoint.SendStepRequest;
import org.zrepl.port.endpoint.SendStepResponse;
import org.zrepl.port.transport.ClientIdentity;
import org.zrepl.port.transport.Endpoints;
import org.zrepl.transport.tcp.ClientMap;
import org.zrepl.transport.tcp.TcpConnector;
import org.zrepl.transport.tcp.TcpListener;
import org.zrepl.transport.tls.TestPki;
import org.zrepl.transport.tls.TlsConnector;
import org.zrepl.transport.tls.TlsFiles;
import org.zrepl.transport.tls.TlsListener;

/**
 * Streams {@code GiB} gibibytes (default 1) over loopback TCP five ways in one run: a plain socket
 * copy (read a buffer, write it; the peer reads and discards), the RPC's push path ({@code
 * receiver.receive}) and its pull path ({@code sender.send}), over tcp and over mutual TLS (a
 * throwaway CA, EC P-256 keys); prints each rate and the ratios to the plain copy. The source hands
 * out one preallocated buffer, so what is measured is the transport. Run with {@code
 * scripts/bench-transport [GiB]}.
 */
public final class TransportBenchmark {
  private static final int BUF = StreamPump.CHUNK;

  private TransportBenchmark() {}

  public static void main(String[] args) throws Exception {
    long bytes = (long) (Double.parseDouble(args.length > 0 ? args[0] : "1") * (1L << 30));
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    out.printf("streaming %d MiB per run over loopback tcp, %d rounds%n", bytes >> 20, rounds);
    out.printf(
        "on %s, %d CPUs, java %s%n",
        cpuModel(), Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
    List<Double> plain = new ArrayList<>();
    List<Double> push = new ArrayList<>();
    List<Double> pull = new ArrayList<>();
    List<Double> tlsPush = new ArrayList<>();
    List<Double> tlsPull = new ArrayList<>();
    List<Double> tlsCopy = new ArrayList<>();
    List<Double> plainCpu = new ArrayList<>();
    List<Double> tlsPushCpu = new ArrayList<>();
    List<Double> tlsCopyCpu = new ArrayList<>();
    try (Bench b = new Bench()) {
      b.plain(bytes / 4); // warm-up
      b.push(b.client, bytes / 4);
      b.pull(b.client, bytes / 4);
      b.push(b.tlsClient, bytes / 4);
      b.pull(b.tlsClient, bytes / 4);
      b.tlsCopy(bytes / 4);
      for (int i = 0; i < rounds; i++) {
        plain.add(cpu(plainCpu, bytes, () -> b.plain(bytes)));
        push.add(b.push(b.client, bytes));
        pull.add(b.pull(b.client, bytes));
        tlsPush.add(cpu(tlsPushCpu, bytes, () -> b.push(b.tlsClient, bytes)));
        tlsPull.add(b.pull(b.tlsClient, bytes));
        tlsCopy.add(cpu(tlsCopyCpu, bytes, () -> b.tlsCopy(bytes)));
      }
    }
    double p = median(plain);
    out.printf("plain socket copy : %8.1f MiB/s (median of %s)%n", p, fmt(plain));
    out.printf("rpc push (receive): %8.1f MiB/s (median of %s)%n", median(push), fmt(push));
    out.printf("rpc pull (send)   : %8.1f MiB/s (median of %s)%n", median(pull), fmt(pull));
    out.printf("ratio push/plain  : %.3f%n", median(push) / p);
    out.printf("ratio pull/plain  : %.3f%n", median(pull) / p);
    out.printf("tls push (receive): %8.1f MiB/s (median of %s)%n", median(tlsPush), fmt(tlsPush));
    out.printf("tls pull (send)   : %8.1f MiB/s (median of %s)%n", median(tlsPull), fmt(tlsPull));
    out.printf("ratio tls push/plain: %.3f%n", median(tlsPush) / p);
    out.printf("ratio tls pull/plain: %.3f%n", median(tlsPull) / p);
    // The JDK's TLS alone, through the same listener and connector (certificates, suites) but no
    // RPC: what the TLS rpc could reach at best on this machine and JDK.
    out.printf("tls socket copy   : %8.1f MiB/s (median of %s)%n", median(tlsCopy), fmt(tlsCopy));
    out.printf("ratio tls copy/plain: %.3f%n", median(tlsCopy) / p);
    out.printf(
        "ratio tls push/tls copy: %.3f, pull/tls copy: %.3f%n",
        median(tlsPush) / median(tlsCopy), median(tlsPull) / median(tlsCopy));
    // CPU seconds of this process (both ends) per GiB: what a busy machine does not distort much
    out.printf(
        "cpu per GiB, both ends: plain copy %.2f s, tls copy %.2f s, tls push %.2f s;"
            + " plain/tls copy %.3f%n",
        median(plainCpu),
        median(tlsCopyCpu),
        median(tlsPushCpu),
        median(plainCpu) / median(tlsCopyCpu));
  }

  @FunctionalInterface
  private interface Run {
    double rate() throws Exception;
  }

  /** Runs {@code r}, adds the process CPU seconds per GiB it took to {@code cpuPerGib}. */
  private static double cpu(List<Double> cpuPerGib, long bytes, Run r) throws Exception {
    var os =
        (com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    long t0 = os.getProcessCpuTime();
    double rate = r.rate();
    cpuPerGib.add((os.getProcessCpuTime() - t0) / 1e9 / (bytes / (double) (1L << 30)));
    return rate;
  }

  private static String cpuModel() {
    try (var lines = Files.lines(Path.of("/proc/cpuinfo"))) {
      return lines
          .filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .findFirst()
          .orElse("an unknown CPU");
    } catch (IOException e) {
      return "an unknown CPU (" + e.getMessage() + ")";
    }
  }

  private static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    Collections.sort(s);
    return s.get(s.size() / 2);
  }

  private static String fmt(List<Double> xs) {
    StringBuilder sb = new StringBuilder();
    for (double x : xs) {
      sb.append(sb.length() == 0 ? "" : ", ").append(String.format("%.0f", x));
    }
    return sb.toString();
  }

  private static double rate(long bytes, long nanos) {
    return (bytes / (double) (1 << 20)) / (nanos / 1e9);
  }

  /** A source of {@code size} bytes handing out slices of one fixed buffer. */
  static final class FixedSource extends InputStream {
    private static final byte[] DATA = new byte[BUF];

    static {
      for (int i = 0; i < DATA.length; i++) {
        DATA[i] = (byte) (i * 31);
      }
    }

    private long left;

    FixedSource(long size) {
      left = size;
    }

    @Override
    public int read() {
      throw new UnsupportedOperationException();
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (left == 0) {
        return -1;
      }
      int n = (int) Math.min(Math.min(len, DATA.length), left);
      System.arraycopy(DATA, 0, b, off, n);
      left -= n;
      return n;
    }
  }

  static long drain(InputStream in) throws IOException {
    byte[] b = new byte[BUF];
    long total = 0;
    int n;
    while ((n = in.read(b)) > 0) {
      total += n;
    }
    return total;
  }

  /** The three contestants, sharing nothing but the machine. */
  private static final class Bench implements AutoCloseable {
    private final ServerSocket plainServer =
        new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
    private final TcpListener rpcListener =
        TcpListener.bind(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            ClientMap.of(Map.of("127.0.0.1", "bench")));
    private volatile long pullSize;
    private volatile long received;
    private final RpcServer server;
    private final RpcClient client;
    private final Path pki = Files.createTempDirectory("zrepl-bench-pki");
    private final RpcServer tlsServer;
    private final RpcClient tlsClient;
    private final TlsListener tlsCopyListener;
    private final TlsConnector tlsCopyConnector;

    Bench() throws IOException {
      TestEndpoints eps = new TestEndpoints();
      eps.sendStream = r -> new PatternStream(0);
      Endpoints endpoints =
          new Endpoints() {
            @Override
            public Optional<org.zrepl.port.endpoint.Sender> sender(ClientIdentity c) {
              return Optional.of(
                  new ForwardingSender(eps.sender) {
                    @Override
                    public SendStepResponse send(SendStepRequest request) {
                      return new SendStepResponse(
                          new FixedSource(pullSize), false, java.util.OptionalLong.empty());
                    }
                  });
            }

            @Override
            public Optional<Receiver> receiver(ClientIdentity c) {
              return Optional.of(new DiscardingReceiver());
            }
          };
      server = new RpcServer(rpcListener, endpoints).start();
      client =
          new RpcClient(TcpConnector.of("127.0.0.1:" + rpcListener.port(), Duration.ofSeconds(5)));
      TestPki ca = TestPki.create("bench CA");
      Path caFile = ca.writeCa(pki.resolve("ca.crt"));
      TestPki.Issued srv =
          ca.issue(
              pki,
              "backup.example",
              List.of("backup.example"),
              Instant.now().minusSeconds(60),
              Instant.now().plus(Duration.ofDays(1)),
              TestPki.KeyFormat.SEC1_EC);
      TestPki.Issued cli = ca.issue(pki, "bench");
      Clock clock = Clock.systemUTC();
      TlsListener tlsListener =
          TlsListener.bind(
              new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
              TlsFiles.load(caFile, srv.cert(), srv.key(), clock),
              List.of("bench"),
              Duration.ofSeconds(10));
      tlsServer = new RpcServer(tlsListener, endpoints).start();
      tlsCopyListener =
          TlsListener.bind(
              new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
              TlsFiles.load(caFile, srv.cert(), srv.key(), clock),
              List.of("bench"),
              Duration.ofSeconds(10));
      tlsCopyConnector =
          TlsConnector.of(
              "127.0.0.1:" + tlsCopyListener.port(),
              TlsFiles.load(caFile, cli.cert(), cli.key(), clock),
              "backup.example",
              Duration.ofSeconds(5));
      tlsClient =
          new RpcClient(
              TlsConnector.of(
                  "127.0.0.1:" + tlsListener.port(),
                  TlsFiles.load(caFile, cli.cert(), cli.key(), clock),
                  "backup.example",
                  Duration.ofSeconds(5)));
    }

    double plain(long bytes) throws Exception {
      Thread sink =
          new Thread(
              () -> {
                try (Socket s = plainServer.accept()) {
                  received = drain(s.getInputStream());
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });
      sink.start();
      long t0 = System.nanoTime();
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), plainServer.getLocalPort())) {
        s.setTcpNoDelay(true);
        OutputStream o = s.getOutputStream();
        InputStream src = new FixedSource(bytes);
        byte[] b = new byte[BUF];
        int n;
        while ((n = src.read(b, 0, b.length)) > 0) {
          o.write(b, 0, n);
        }
        s.shutdownOutput();
        sink.join();
      }
      long t = System.nanoTime() - t0;
      check(received, bytes);
      return rate(bytes, t);
    }

    /** A copy over one TLS connection of the project's listener and connector, without RPC. */
    double tlsCopy(long bytes) throws Exception {
      Thread sink =
          new Thread(
              () -> {
                try (var c = tlsCopyListener.accept().connection()) {
                  received = drain(c.in());
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });
      sink.start();
      long t0 = System.nanoTime();
      var c = tlsCopyConnector.connect();
      try {
        OutputStream o = c.out();
        InputStream src = new FixedSource(bytes);
        byte[] b = new byte[BUF];
        int n;
        while ((n = src.read(b, 0, b.length)) > 0) {
          o.write(b, 0, n);
        }
        o.flush();
      } finally {
        c.close();
      }
      sink.join();
      long t = System.nanoTime() - t0;
      check(received, bytes);
      return rate(bytes, t);
    }

    double push(RpcClient via, long bytes) {
      long t0 = System.nanoTime();
      new RemoteReceiver(via)
          .receive(
              ReceiveStepRequest.of(TestEndpoints.A, TestEndpoints.STEP), new FixedSource(bytes));
      long t = System.nanoTime() - t0;
      check(received, bytes);
      return rate(bytes, t);
    }

    double pull(RpcClient via, long bytes) throws IOException {
      pullSize = bytes;
      long t0 = System.nanoTime();
      SendStepResponse r =
          new RemoteSender(via).send(SendStepRequest.of(TestEndpoints.A, TestEndpoints.STEP));
      long got = drain(r.stream());
      r.stream().close();
      long t = System.nanoTime() - t0;
      check(got, bytes);
      return rate(bytes, t);
    }

    private static void check(long got, long want) {
      if (got != want) {
        throw new IllegalStateException("moved " + got + " bytes, expected " + want);
      }
    }

    /** Reads and discards what it receives. */
    private final class DiscardingReceiver implements Receiver {
      @Override
      public Set<Guarantee> guarantees() {
        return Set.of();
      }

      @Override
      public Map<DatasetPath, ReceiverFilesystem> listFilesystems(
          java.util.Collection<DatasetPath> fs) {
        return Map.of();
      }

      @Override
      public Map<DatasetPath, List<FilesystemVersion>> listVersions(
          java.util.Collection<DatasetPath> fs) {
        return Map.of();
      }

      @Override
      public Optional<String> resumeToken(DatasetPath fs) {
        return Optional.empty();
      }

      @Override
      public void receive(ReceiveStepRequest request, InputStream stream) {
        try {
          received = drain(stream);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }

      @Override
      public void destroySnapshots(DatasetPath fs, List<FilesystemVersion> snapshots) {}

      @Override
      public void rollback(DatasetPath fs, FilesystemVersion to, List<FilesystemVersion> d) {}
    }

    @Override
    public void close() throws IOException {
      client.close();
      server.close();
      tlsClient.close();
      tlsServer.close();
      tlsCopyListener.close();
      plainServer.close();
      try (var files = Files.list(pki)) {
        for (Path f : files.toList()) {
          Files.delete(f);
        }
      }
      Files.delete(pki);
    }
  }
}
