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
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zrepl.port.endpoint.ReceiveStepRequest;
import org.zrepl.port.endpoint.SendStepRequest;
import org.zrepl.port.endpoint.SendStepResponse;
import org.zrepl.port.transport.TransportException;
import org.zrepl.transport.tls.TestPki;
import org.zrepl.transport.tls.TlsConnector;
import org.zrepl.transport.tls.TlsFiles;
import org.zrepl.transport.tls.TlsListener;

/**
 * The RPC over the {@code tls} transport on loopback: certificates made by a test CA at test time;
 * streams both ways, and each way of being refused (another CA on either side, a CN not in
 * client_cns, a server not named server_cn, an expired client certificate, a client that never
 * starts its handshake), the server serving others all along.
 */
class RpcTlsIT {
  private static final Duration DIAL = Duration.ofSeconds(5);
  private static final TestPki PKI = TestPki.create("zrepl test CA");
  private static final TestPki OTHER = TestPki.create("another CA");

  @TempDir Path dir;

  private final Clock clock = Clock.systemUTC();
  private final TestEndpoints endpoints = new TestEndpoints();
  private TlsListener listener;
  private RpcServer server;
  private Path ca;

  private void serve(Duration handshakeTimeout) throws IOException {
    ca = PKI.writeCa(dir.resolve("ca.crt"));
    TestPki.Issued s =
        PKI.issue(
            dir,
            "backup.example",
            List.of("backup.example", "backup"),
            Instant.now().minusSeconds(60),
            Instant.now().plus(Duration.ofDays(1)),
            TestPki.KeyFormat.PKCS1_RSA);
    listener =
        TlsListener.bind(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            TlsFiles.load(ca, s.cert(), s.key(), clock),
            List.of("laptop", "desktop"),
            handshakeTimeout);
    server = new RpcServer(listener, endpoints).start();
  }

  private RpcClient client(Path caFile, TestPki.Issued own, String serverCn, Clock c) {
    return new RpcClient(
        TlsConnector.of(
            "127.0.0.1:" + listener.port(),
            TlsFiles.load(caFile, own.cert(), own.key(), c),
            serverCn,
            DIAL));
  }

  private RpcClient laptop() {
    return client(ca, PKI.issue(dir, "laptop"), "backup.example", clock);
  }

  @AfterEach
  void close() throws IOException {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void pushAndPullOverTlsWithTheCertificatesCnAsIdentity() throws IOException {
    serve(Duration.ofSeconds(10));
    long size = 20_000_017;
    try (RpcClient c = laptop()) {
      new RemoteReceiver(c).receive(ReceiveStepRequest.of(A, STEP), new PatternStream(size));
      assertThat(endpoints.received).isEqualTo(size);
      assertThat(endpoints.receivedCrc).isEqualTo(PatternStream.crcOf(size));
      endpoints.sendStream = r -> new PatternStream(size);
      SendStepResponse resp = new RemoteSender(c).send(SendStepRequest.of(A, STEP));
      assertThat(RpcLocalTest.crc(resp.stream())).isEqualTo(PatternStream.crcOf(size));
      resp.stream().close();
      assertThat(c.describe()).isEqualTo("tls 127.0.0.1:" + listener.port());
    }
    assertThat(endpoints.clients).isNotEmpty().allMatch(id -> id.name().equals("laptop"));
  }

  @Test
  void aClientCnNotInClientCnsIsRefusedWhileOthersAreServed() throws IOException {
    serve(Duration.ofSeconds(10));
    try (RpcClient intruder = client(ca, PKI.issue(dir, "intruder"), "backup.example", clock)) {
      assertThatThrownBy(() -> new RemoteSender(intruder).listFilesystems())
          .isInstanceOf(TransportException.class)
          .hasMessageContaining("tls 127.0.0.1:" + listener.port() + " refused the TLS handshake (")
          .hasMessageContaining(
              "its ca must have signed this side's certificate (CN 'intruder') and its client_cns"
                  + " must list 'intruder'");
    }
    assertThat(endpoints.calls).isEmpty();
    try (RpcClient c = laptop()) {
      assertThat(new RemoteSender(c).listFilesystems()).hasSize(2);
    }
  }

  @Test
  void aClientCertificateOfAnotherCaIsRefused() throws IOException {
    serve(Duration.ofSeconds(10));
    try (RpcClient c = client(ca, OTHER.issue(dir, "laptop"), "backup.example", clock)) {
      assertThatThrownBy(() -> new RemoteSender(c).listFilesystems())
          .isInstanceOf(TransportException.class)
          .hasMessageContaining("refused the TLS handshake (")
          .hasMessageContaining("this side's certificate (CN 'laptop')");
    }
    assertThat(endpoints.calls).isEmpty();
  }

  @Test
  void anExpiredClientCertificateIsRefused() throws IOException {
    serve(Duration.ofSeconds(10));
    Instant past = Instant.now().minus(Duration.ofDays(3));
    TestPki.Issued old =
        PKI.issue(
            dir,
            "desktop",
            List.of(),
            past,
            past.plus(Duration.ofDays(1)),
            TestPki.KeyFormat.SEC1_EC);
    // the client loads it as of a time it was valid; the server checks it against now
    try (RpcClient c =
        client(ca, old, "backup.example", Clock.fixed(past.plusSeconds(60), ZoneOffset.UTC))) {
      assertThatThrownBy(() -> new RemoteSender(c).listFilesystems())
          .isInstanceOf(TransportException.class)
          .hasMessageContaining("refused the TLS handshake (")
          .hasMessageContaining("this side's certificate (CN 'desktop')");
    }
    assertThat(endpoints.calls).isEmpty();
  }

  @Test
  void aServerOfAnotherCaIsRefusedByTheClient() throws IOException {
    serve(Duration.ofSeconds(10));
    Path otherCa = OTHER.writeCa(dir.resolve("other-ca.crt"));
    try (RpcClient c = client(otherCa, OTHER.issue(dir, "laptop"), "backup.example", clock)) {
      assertThatThrownBy(() -> new RemoteSender(c).listFilesystems())
          .isInstanceOf(TransportException.class)
          .hasMessageContaining(
              "TLS handshake with tls 127.0.0.1:"
                  + listener.port()
                  + " failed: server certificate 'CN=backup.example' (issued by 'CN=zrepl test"
                  + " CA') is not signed by a CA in ca file "
                  + otherCa);
    }
    assertThat(endpoints.calls).isEmpty();
  }

  @Test
  void aServerNotNamedServerCnIsRefusedByTheClient() throws IOException {
    serve(Duration.ofSeconds(10));
    try (RpcClient c = client(ca, PKI.issue(dir, "laptop"), "other.example", clock)) {
      assertThatThrownBy(() -> new RemoteSender(c).listFilesystems())
          .isInstanceOf(TransportException.class)
          .hasMessageContaining(
              "server certificate 'CN=backup.example' (issued by 'CN=zrepl test CA') with alternative"
                  + " names [backup.example, backup] does not name server_cn 'other.example'");
    }
    assertThat(endpoints.calls).isEmpty();
  }

  @Test
  void aClientThatNeverStartsItsHandshakeIsDroppedAfterHandshakeTimeout() throws IOException {
    serve(Duration.ofMillis(100));
    try (Socket silent = new Socket(InetAddress.getLoopbackAddress(), listener.port());
        RpcClient c = laptop()) {
      assertThat(new RemoteSender(c).listFilesystems()).hasSize(2);
      long start = System.nanoTime();
      InputStream in = silent.getInputStream();
      assertThat(in.read()).as("closed by the server").isEqualTo(-1);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }
  }
}
