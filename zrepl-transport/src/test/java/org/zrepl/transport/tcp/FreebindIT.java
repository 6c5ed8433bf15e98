package org.zrepl.transport.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zrepl.port.transport.Listener;
import org.zrepl.transport.http.MetricsServer;
import org.zrepl.transport.tls.TestPki;
import org.zrepl.transport.tls.TlsFiles;
import org.zrepl.transport.tls.TlsListener;

/**
 * {@code listen_freebind} on the tcp and tls listeners and the Prometheus endpoint: an address that
 * is not on this machine (TEST-NET-1 192.0.2.1, and 2001:db8::1 from the IPv6 documentation range)
 * can be bound only with freebind. Nothing is ever sent to those addresses: the tests bind and
 * close. On loopback, a freebind listener serves as any other.
 */
class FreebindIT {

  private static final String ELSEWHERE = "192.0.2.1:0";
  private static final String ELSEWHERE_V6 = "[2001:db8::1]:0";
  private static final ClientMap CLIENTS = ClientMap.of(Map.of("127.0.0.1", "laptop"));

  @Test
  void tcpBindsAnAddressNotOnThisMachineOnlyWithFreebind() throws IOException {
    assertThatThrownBy(() -> TcpListener.bind(ELSEWHERE, false, CLIENTS))
        .isInstanceOf(IOException.class)
        .hasMessage("cannot listen on 192.0.2.1:0: Cannot assign requested address");

    try (TcpListener l = TcpListener.bind(ELSEWHERE, true, CLIENTS)) {
      assertThat(l.describe()).startsWith("tcp listener 192.0.2.1:");
      assertThat(l.port()).isPositive();
    }
  }

  @Test
  void tcpFreebindWorksForIpv6Too() throws IOException {
    assertThatThrownBy(() -> TcpListener.bind(ELSEWHERE_V6, false, CLIENTS))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("cannot listen on [2001:db8:0:0:0:0:0:1]:0: ");

    try (TcpListener l = TcpListener.bind(ELSEWHERE_V6, true, CLIENTS)) {
      assertThat(l.describe()).startsWith("tcp listener [2001:db8:0:0:0:0:0:1]:");
    }
  }

  @Test
  void aFreebindTcpListenerOnLoopbackServesItsClients() throws Exception {
    try (TcpListener l = TcpListener.bind("127.0.0.1:0", true, CLIENTS);
        Socket client = new Socket(InetAddress.getLoopbackAddress(), l.port())) {
      Listener.Accepted a = l.accept();
      assertThat(a.identity().name()).isEqualTo("laptop");
      try (var c = a.connection()) {
        OutputStream out = client.getOutputStream();
        out.write("ping".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = c.in();
        assertThat(new String(in.readNBytes(4), StandardCharsets.US_ASCII)).isEqualTo("ping");
      }
    }
  }

  @Test
  void tlsBindsAnAddressNotOnThisMachineOnlyWithFreebind(@TempDir Path dir) throws IOException {
    TestPki pki = TestPki.create("freebind CA");
    Path ca = pki.writeCa(dir.resolve("ca.crt"));
    TestPki.Issued server = pki.issue(dir, "server");
    TlsFiles files = TlsFiles.load(ca, server.cert(), server.key(), Clock.systemUTC());
    Duration handshake = Duration.ofSeconds(10);

    assertThatThrownBy(
            () -> TlsListener.bind(ELSEWHERE, false, files, List.of("laptop"), handshake))
        .isInstanceOf(IOException.class)
        .hasMessage("cannot listen on 192.0.2.1:0: Cannot assign requested address");

    try (TlsListener l = TlsListener.bind(ELSEWHERE, true, files, List.of("laptop"), handshake)) {
      assertThat(l.describe()).contains("192.0.2.1:");
    }
  }

  @Test
  void prometheusBindsAnAddressNotOnThisMachineOnlyWithFreebind() {
    assertThatThrownBy(() -> MetricsServer.start(ELSEWHERE, false, () -> ""))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "cannot listen for Prometheus on '192.0.2.1:0': Cannot assign requested address");

    try (MetricsServer m = MetricsServer.start(ELSEWHERE, true, () -> "")) {
      assertThat(m.port()).isPositive();
    }
  }

  @Test
  void aFreebindPrometheusEndpointOnLoopbackAnswers() throws Exception {
    try (MetricsServer m = MetricsServer.start("127.0.0.1:0", true, () -> "up 1\n")) {
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + m.port() + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("up 1\n");
    }
  }
}
