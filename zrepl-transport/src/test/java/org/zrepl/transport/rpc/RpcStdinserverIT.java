package org.zrepl.transport.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.zrepl.transport.rpc.TestEndpoints.A;
import static org.zrepl.transport.rpc.TestEndpoints.STEP;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import jnr.unixsocket.UnixSocketChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zrepl.port.endpoint.ReceiveStepRequest;
import org.zrepl.port.endpoint.SendStepRequest;
import org.zrepl.port.endpoint.SendStepResponse;
import org.zrepl.port.transport.ClientIdentity;
import org.zrepl.port.transport.Connection;
import org.zrepl.port.transport.Connector;
import org.zrepl.port.transport.ServerLimits;
import org.zrepl.port.transport.TransportException;
import org.zrepl.transport.stdinserver.StdinserverClient;
import org.zrepl.transport.stdinserver.StdinserverClient.Verdict;
import org.zrepl.transport.stdinserver.StdinserverException;
import org.zrepl.transport.stdinserver.StdinserverListener;

/**
 * The RPC over the stdinserver hand-over, in one process: each connection is two socket pairs
 * standing in for sshd's pipes; one end of each is passed with SCM_RIGHTS to the listener by {@link
 * StdinserverClient}, exactly as {@code zrepl stdinserver} passes its stdin and stdout.
 */
class RpcStdinserverIT {
  @TempDir Path tmp;

  private final TestEndpoints endpoints = new TestEndpoints();
  private final List<CompletableFuture<Verdict>> verdicts =
      new java.util.concurrent.CopyOnWriteArrayList<>();
  private StdinserverListener listener;
  private RpcServer server;

  private Path sockdir() throws IOException {
    Path d = tmp.resolve("sockdir");
    if (!Files.exists(d)) {
      Files.createDirectory(
          d, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    return d;
  }

  private void serve(String... identities) throws IOException {
    listener =
        StdinserverListener.bind(
            sockdir(), java.util.Arrays.stream(identities).map(ClientIdentity::new).toList());
    server = new RpcServer(listener, endpoints).start();
  }

  @AfterEach
  void close() throws IOException {
    if (server != null) {
      server.close();
    }
  }

  /** Dials like ssh would: the "remote" stdinserver runs on a thread with the pair ends. */
  private Connector stdinserver(String identity) {
    return new Connector() {
      @Override
      public Connection connect() throws IOException {
        UnixSocketChannel[] stdin = UnixSocketChannel.pair();
        UnixSocketChannel[] stdout = UnixSocketChannel.pair();
        verdicts.add(
            CompletableFuture.supplyAsync(
                () -> {
                  try (UnixSocketChannel in = stdin[1];
                      UnixSocketChannel out = stdout[1]) {
                    return StdinserverClient.serve(sockdir(), identity, in.getFD(), out.getFD());
                  } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                  }
                }));
        InputStream in = Channels.newInputStream(stdout[0]);
        OutputStream out = Channels.newOutputStream(stdin[0]);
        return new Connection() {
          @Override
          public InputStream in() {
            return in;
          }

          @Override
          public OutputStream out() {
            return out;
          }

          @Override
          public String describe() {
            return "socket pairs as " + identity;
          }

          @Override
          public void close() throws IOException {
            stdin[0].close();
            stdout[0].close();
          }
        };
      }

      @Override
      public String describe() {
        return "in-process stdinserver " + identity;
      }
    };
  }

  @Test
  void pushAndPullOverTheHandedOverDescriptors() throws Exception {
    serve("alice", "bob");
    long size = 5_000_011;
    try (RpcClient client = new RpcClient(stdinserver("bob"))) {
      new RemoteReceiver(client).receive(ReceiveStepRequest.of(A, STEP), new PatternStream(size));
      endpoints.sendStream = r -> new PatternStream(size);
      SendStepResponse resp = new RemoteSender(client).send(SendStepRequest.of(A, STEP));
      assertThat(RpcLocalTest.crc(resp.stream())).isEqualTo(PatternStream.crcOf(size));
      resp.stream().close();
    }
    assertThat(endpoints.received).isEqualTo(size);
    assertThat(endpoints.receivedCrc).isEqualTo(PatternStream.crcOf(size));
    assertThat(endpoints.clients).isNotEmpty().allMatch(c -> c.name().equals("bob"));
    assertThat(verdicts).isNotEmpty();
    for (CompletableFuture<Verdict> v : verdicts) {
      // The client hung up first: the session ended normally.
      assertThat(v.get(10, TimeUnit.SECONDS)).isEqualTo(new Verdict(0, "session ended"));
    }
  }

  @Test
  void anIdentityNotServedIsToldPlainly() throws IOException {
    serve("alice");
    assertThatThrownBy(() -> StdinserverClient.serve(sockdir(), "mallory", 0, 1))
        .isInstanceOf(StdinserverException.class)
        .hasMessageContaining("no daemon serves client identity 'mallory'")
        .hasMessageContaining(sockdir().resolve("mallory").toString());
  }

  @Test
  void identitiesThatEscapeTheDirectoryAreRefused() throws IOException {
    serve("alice");
    for (String bad : List.of("../alice", "a/b", "a@b", "a#b", "..", ".")) {
      assertThatThrownBy(() -> StdinserverClient.serve(sockdir(), bad, 0, 1))
          .as(bad)
          .isInstanceOf(StdinserverException.class)
          .hasMessageContaining("client identity '" + bad + "'");
    }
  }

  @Test
  void noDaemonMeansNoSocket() throws IOException {
    assertThatThrownBy(() -> StdinserverClient.serve(sockdir(), "alice", 0, 1))
        .isInstanceOf(StdinserverException.class)
        .hasMessageContaining("is the daemon running");
    Path missing = tmp.resolve("nonexistent");
    assertThatThrownBy(() -> StdinserverClient.serve(missing, "alice", 0, 1))
        .isInstanceOf(StdinserverException.class)
        .hasMessageContaining("socket directory " + missing + " does not exist");
  }

  @Test
  void aSocketDirectoryOthersCanEnterIsRefused() throws IOException {
    Path open = tmp.resolve("open");
    Files.createDirectory(open);
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
    assertThatThrownBy(() -> StdinserverListener.bind(open, List.of(new ClientIdentity("alice"))))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(open.toString())
        .hasMessageContaining("rwxr-xr-x");
    assertThat(open.resolve("alice")).doesNotExist();
  }

  @Test
  void aDaemonThatStopsMidSessionSaysSo() throws Exception {
    serve("alice");
    RpcClient client = new RpcClient(stdinserver("alice"));
    try (client) {
      new RemoteReceiver(client).receive(ReceiveStepRequest.of(A, STEP), new PatternStream(10));
      server.close();
      server = null;
      assertThat(verdicts).hasSize(1);
      Verdict v = verdicts.get(0).get(10, TimeUnit.SECONDS);
      assertThat(v.exitStatus()).isEqualTo(1);
      assertThat(v.message()).contains("daemon ended the session");
    }
    assertThat(sockdir().resolve("alice")).doesNotExist();
  }

  @Test
  void anIdentityAtItsConnectionLimitIsToldSoWhileAnotherIdentityIsServed() throws Exception {
    listener =
        StdinserverListener.bind(
            sockdir(), List.of(new ClientIdentity("alice"), new ClientIdentity("bob")));
    server = new RpcServer(listener, endpoints, ServerLimits.DEFAULTS.withMaxPerClient(1)).start();
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
    try (RpcClient busy = new RpcClient(stdinserver("alice"));
        RpcClient impatient =
            new RpcClient(stdinserver("alice"), ConnectionCloses.NONE, RpcClient.Patience.NONE);
        RpcClient second = new RpcClient(stdinserver("alice"));
        RpcClient bob = new RpcClient(stdinserver("bob"))) {
      SendStepResponse resp = new RemoteSender(busy).send(SendStepRequest.of(A, STEP));
      assertThatThrownBy(() -> new RemoteSender(impatient).listFilesystems())
          .isInstanceOf(NotServedException.class)
          .hasMessageContaining("refuses the connection: it serves 64 connections (1 per client)");
      // a client waits out the refusals (a push of its own stream too, admitted before it sends)
      CompletableFuture<Integer> waiting =
          CompletableFuture.supplyAsync(() -> new RemoteSender(second).listFilesystems().size());
      CompletableFuture<Void> push =
          CompletableFuture.runAsync(
              () ->
                  new RemoteReceiver(second)
                      .receive(ReceiveStepRequest.of(A, STEP), new PatternStream(2_000_000)));
      assertThat(new RemoteSender(bob).listFilesystems()).hasSize(2);
      assertThat(waiting).isNotDone();
      assertThat(push).isNotDone();
      release.countDown();
      assertThat(RpcLocalTest.crc(resp.stream())).isEqualTo(PatternStream.crcOf(1_000_000));
      resp.stream().close();
      busy.close();
      assertThat(waiting.get(60, TimeUnit.SECONDS)).isEqualTo(2);
      push.get(60, TimeUnit.SECONDS);
    }
    assertThat(endpoints.received).isEqualTo(2_000_000);
    assertThat(endpoints.calls.stream().filter(c -> c.startsWith("r.receive"))).hasSize(1);
    // refused and dropped sessions end by the client, as served ones do: ssh prints no error
    for (CompletableFuture<Verdict> v : verdicts) {
      assertThat(v.get(10, TimeUnit.SECONDS)).isEqualTo(new Verdict(0, "session ended"));
    }
  }

  @Test
  void anIdlePooledSessionTheSinkDropsWithAWordEndsWithoutAnErrorForSsh() throws Exception {
    listener = StdinserverListener.bind(sockdir(), List.of(new ClientIdentity("alice")));
    // One connection per client; a dropped connection lingers 1 s for its client to close first.
    server =
        new RpcServer(
                listener,
                endpoints,
                ServerLimits.DEFAULTS
                    .withMaxPerClient(1)
                    .withTimeouts(
                        java.time.Duration.ofSeconds(1),
                        java.time.Duration.ofSeconds(10),
                        java.time.Duration.ofMinutes(2),
                        java.time.Duration.ofMinutes(10)))
            .start();
    try (RpcClient pooled = new RpcClient(stdinserver("alice"));
        RpcClient newcomer = new RpcClient(stdinserver("alice"))) {
      assertThat(new RemoteSender(pooled).listFilesystems()).hasSize(2);
      Thread.sleep(ConnectionGuard.IDLE_GRACE.toMillis() + 200); // idle long enough to make room
      // The newcomer takes the pooled connection's place: the sink tells the idle one why, and
      // closes it once its client did not within the first-request timeout (1 s).
      assertThat(new RemoteSender(newcomer).listFilesystems()).hasSize(2);
      Verdict dropped = verdicts.get(0).get(10, TimeUnit.SECONDS);
      assertThat(dropped)
          .as("an orderly end, which the stdinserver does not print (exit 0)")
          .isEqualTo(
              new Verdict(
                  0, "the daemon ended the session after telling the client why (not served)"));
      newcomer.close();
      // The pooled client reads the word when it next calls, and calls again on a new connection.
      assertThat(new RemoteSender(pooled).listFilesystems()).hasSize(2);
    }
    // the newcomer's session and the pooled client's new one (and any refused on the way)
    assertThat(verdicts.size()).isGreaterThanOrEqualTo(3);
    for (CompletableFuture<Verdict> v : verdicts.subList(1, verdicts.size())) {
      assertThat(v.get(10, TimeUnit.SECONDS)).isEqualTo(new Verdict(0, "session ended"));
    }
  }

  @Test
  void silentHandOversOfOneIdentityAreBoundedAndDoNotKeepOthersOut() throws Exception {
    serve("alice", "bob");
    Path alice = sockdir().resolve("alice");
    List<UnixSocketChannel> silent = new java.util.ArrayList<>();
    try {
      for (int i = 0; i < StdinserverListener.MAX_PENDING_HAND_OVERS; i++) {
        silent.add(UnixSocketChannel.open(new jnr.unixsocket.UnixSocketAddress(alice.toFile())));
      }
      try (UnixSocketChannel beyond =
          UnixSocketChannel.open(new jnr.unixsocket.UnixSocketAddress(alice.toFile()))) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1);
        long start = System.nanoTime();
        assertThat(beyond.read(b)).isEqualTo(-1);
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - start))
            .as("closed at once, not after the 10 s hand-over timeout")
            .isLessThan(java.time.Duration.ofSeconds(5));
      }
      try (RpcClient bob = new RpcClient(stdinserver("bob"))) {
        assertThat(new RemoteSender(bob).listFilesystems()).hasSize(2);
      }
    } finally {
      for (UnixSocketChannel c : silent) {
        c.close();
      }
    }
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
    while (true) { // the listener notices the silent clients' end on its own threads
      try (RpcClient again = new RpcClient(stdinserver("alice"))) {
        assertThat(new RemoteSender(again).listFilesystems()).hasSize(2);
        return;
      } catch (TransportException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(50);
      }
    }
  }
}
