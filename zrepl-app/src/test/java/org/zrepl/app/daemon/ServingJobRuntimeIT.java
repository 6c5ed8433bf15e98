package org.zrepl.app.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.zrepl.app.config.Config;
import org.zrepl.app.config.ConfigLoader;
import org.zrepl.app.config.Job.Sink;
import org.zrepl.app.config.LoadResult;
import org.zrepl.app.remote.Transports;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.port.endpoint.ReceiverFilesystem;
import org.zrepl.port.transport.Connector;
import org.zrepl.port.transport.Endpoints;
import org.zrepl.port.transport.Listener;
import org.zrepl.port.transport.Rpc;
import org.zrepl.port.transport.ServerLimits;
import org.zrepl.port.zfs.ZfsCapabilities;
import org.zrepl.transport.rpc.RemoteReceiver;
import org.zrepl.transport.rpc.RpcClient;
import org.zrepl.transport.tcp.TcpConnector;
import org.zrepl.zfs.fake.InMemoryZfs;
import org.zrepl.zfs.process.LocalCommandRunner;

/** A sink job in the daemon serves on its tcp listener until stopped; a taken port fails it. */
class ServingJobRuntimeIT {
  private final Clock clock = Clock.fixed(Instant.parse("2026-05-01T10:00:00Z"), ZoneOffset.UTC);
  private final InMemoryZfs zfs = new InMemoryZfs(ZfsCapabilities.zfsFuse(), clock, 3);
  private final JobDependencies deps =
      org.zrepl.app.TestAdapters.deps(zfs, new LocalCommandRunner(), clock);

  private static Sink sink(int port) {
    return sink(port, "");
  }

  /** A sink on {@code port}; {@code limits} is the text of its {@code serve.limits} (or empty). */
  private static Sink sink(int port, String limits) {
    String yaml =
        """
        jobs:
        - name: sink
          type: sink
          serve: { type: tcp, listen: "127.0.0.1:PORT", clients: { "127.0.0.1": "laptop" } LIMITS }
          root_fs: backups
        """
            .replace("PORT", Integer.toString(port))
            .replace("LIMITS", limits.isEmpty() ? "" : ", limits: " + limits);
    Config c = ((LoadResult.Valid) ConfigLoader.parse("zrepl.yml", yaml, Path.of("."))).config();
    return (Sink) c.jobs().get(0);
  }

  private static int freePort() throws Exception {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void aSinkServesItsClientsBelowRootFsAndIdentityUntilStopped() throws Exception {
    zfs.createPool("backups");
    int port = freePort();
    Transports transports = org.zrepl.app.TestAdapters.transports(clock);
    ServingJobRuntime job = ServingJobRuntime.sink(sink(port), deps, transports);
    job.start();
    assertThat(job.status().state()).isEqualTo("serving");
    DatasetPath a = DatasetPath.of("pool/a");
    try (RpcClient c = new RpcClient(TcpConnector.of("127.0.0.1:" + port, Duration.ofSeconds(5)))) {
      Map<DatasetPath, ReceiverFilesystem> fss = new RemoteReceiver(c).listFilesystems(List.of(a));
      assertThat(fss.get(a).localPath()).isEqualTo(DatasetPath.of("backups/laptop/pool/a"));
      assertThat(fss.get(a).exists()).isFalse();
    }
    ServingJobRuntime second = ServingJobRuntime.sink(sink(port), deps, transports);
    assertThatThrownBy(second::start)
        .isInstanceOf(ServeFailedException.class)
        .hasMessage(
            "job 'sink' cannot serve tcp 127.0.0.1:%d: cannot listen on 127.0.0.1:%d: Address"
                + " already in use",
            port, port)
        .hasRootCauseInstanceOf(java.net.BindException.class);
    assertThat(second.status().state()).isEqualTo("failed");
    assertThatThrownBy(job::wakeup).isInstanceOf(SignalRefusedException.class);
    job.stop();
    assertThat(job.status().state()).isEqualTo("stopped");
  }

  private static Map<DatasetPath, ReceiverFilesystem> listAsLaptop(int port) {
    try (RpcClient c = new RpcClient(TcpConnector.of("127.0.0.1:" + port, Duration.ofSeconds(5)))) {
      return new RemoteReceiver(c).listFilesystems(List.of(DatasetPath.of("pool/a")));
    }
  }

  /**
   * True if the server closed {@code s} within {@code within} (of silence); false if it is still
   * open then.
   */
  private static boolean closedWithin(Socket s, Duration within) throws IOException {
    s.setSoTimeout((int) within.toMillis());
    try {
      // the server's handshake comes first; then the end, or nothing
      while (s.getInputStream().read() >= 0) {
        // skip
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (SocketException e) {
      return true; // reset
    }
  }

  @Test
  void theConfiguredPerClientLimitMakesAThirdConnectionWaitUntilOneOfTheTwoCloses()
      throws Exception {
    zfs.createPool("backups");
    int port = freePort();
    ServingJobRuntime job =
        ServingJobRuntime.sink(
            sink(port, "{ max_connections_per_client: 2 }"),
            deps,
            org.zrepl.app.TestAdapters.transports(clock));
    job.start();
    ExecutorService caller = Executors.newSingleThreadExecutor();
    try (Socket first = new Socket(java.net.InetAddress.getLoopbackAddress(), port);
        Socket second = new Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
      // two connections of 'laptop' that say nothing yet fill its limit of 2. Neither is closed
      // for its own client's newcomer (a request may wait unread on it): the third, a real
      // client, is answered "not served" and tries again until one of the two goes
      Future<Map<DatasetPath, ReceiverFilesystem>> third = caller.submit(() -> listAsLaptop(port));
      assertThatThrownBy(() -> third.get(1, TimeUnit.SECONDS)).isInstanceOf(TimeoutException.class);
      first.close();
      // served at its next try (pauses of 250 ms doubling), before the 10 s first-request
      // deadline would have dropped the silent connections anyway
      assertThat(third.get(8, TimeUnit.SECONDS)).containsKey(DatasetPath.of("pool/a"));
      assertThat(closedWithin(second, Duration.ofMillis(300))).isFalse();
    } finally {
      caller.shutdownNow();
      job.stop();
    }
    // with the default (16 per client) two silent connections leave each other alone
    int other = freePort();
    ServingJobRuntime dflt =
        ServingJobRuntime.sink(sink(other), deps, org.zrepl.app.TestAdapters.transports(clock));
    dflt.start();
    try (Socket first = new Socket(java.net.InetAddress.getLoopbackAddress(), other);
        Socket second = new Socket(java.net.InetAddress.getLoopbackAddress(), other)) {
      assertThat(listAsLaptop(other)).containsKey(DatasetPath.of("pool/a"));
      assertThat(closedWithin(first, Duration.ofMillis(300))).isFalse();
      assertThat(closedWithin(second, Duration.ofMillis(300))).isFalse();
    } finally {
      dflt.stop();
    }
  }

  @Test
  void theConfiguredFirstRequestTimeoutClosesASilentConnection() throws Exception {
    zfs.createPool("backups");
    int port = freePort();
    ServingJobRuntime job =
        ServingJobRuntime.sink(
            sink(port, "{ first_request_timeout: 300ms }"),
            deps,
            org.zrepl.app.TestAdapters.transports(clock));
    job.start();
    try (Socket silent = new Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
      long start = System.nanoTime();
      assertThat(closedWithin(silent, Duration.ofSeconds(5))).isTrue(); // the default: 10 s
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
      assertThat(listAsLaptop(port)).containsKey(DatasetPath.of("pool/a"));
    } finally {
      job.stop();
    }
  }

  @Test
  void everyConfiguredLimitReachesTheServer() throws Exception {
    Sink s =
        sink(
            freePort(),
            "{ max_connections: 8, max_connections_per_client: 3, first_request_timeout: 2s,"
                + " header_timeout: 3s, idle_timeout: 45s, write_timeout: 20m }");
    List<ServerLimits> granted = new java.util.ArrayList<>();
    Rpc recording =
        new Rpc() {
          @Override
          public Peer connect(Connector connector) {
            throw new UnsupportedOperationException("a sink does not dial");
          }

          @Override
          public Server serve(Listener listener, Endpoints endpoints, ServerLimits limits) {
            granted.add(limits);
            return deps.rpc().serve(listener, endpoints, limits);
          }
        };
    ServingJobRuntime job =
        new ServingJobRuntime(
            "sink",
            "sink",
            s.serve(),
            org.zrepl.app.TestAdapters.transports(clock),
            recording,
            org.zrepl.app.remote.SinkEndpoints.of(s, zfs, clock, deps.sleeper()));
    job.start();
    job.stop();
    assertThat(granted)
        .containsExactly(
            new ServerLimits(
                8,
                3,
                Duration.ofSeconds(2),
                Duration.ofSeconds(3),
                Duration.ofSeconds(45),
                Duration.ofMinutes(20)));
  }
}
