package org.zrepl.transport.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which suite our TLS settings negotiate over a real loopback handshake. */
class CipherSuiteIT {

  private static final TestPki PKI = TestPki.create("suite CA");

  @TempDir Path dir;

  @Test
  void theJdkListKeepsEverySuiteWithAes128GcmFirst() throws Exception {
    String[] jdk = SSLContext.getDefault().getDefaultSSLParameters().getCipherSuites();
    String[] ours = TlsFiles.preferAes128Gcm(jdk);
    assertThat(ours[0]).isEqualTo("TLS_AES_128_GCM_SHA256");
    assertThat(ours).containsExactlyInAnyOrder(jdk);
  }

  @Test
  void aListenerWithOurOrderNegotiatesAes128GcmWithAClientPreferringAes256() throws Exception {
    Path ca = PKI.writeCa(dir.resolve("ca.crt"));
    TestPki.Issued s = PKI.issue(dir, "server");
    TestPki.Issued c = PKI.issue(dir, "client");
    TlsFiles server = TlsFiles.load(ca, s.cert(), s.key(), Clock.systemUTC());
    TlsFiles client = TlsFiles.load(ca, c.cert(), c.key(), Clock.systemUTC());
    SSLContext sctx = server.context(PeerCheck.clientCnIn(Set.of("client")));
    SSLContext cctx = client.context(PeerCheck.serverNamed("server"));
    try (SSLServerSocket listen =
        (SSLServerSocket)
            sctx.getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<String> accepted =
          CompletableFuture.supplyAsync(
              () -> {
                try (SSLSocket t = (SSLSocket) listen.accept()) {
                  t.setNeedClientAuth(true);
                  t.setEnabledProtocols(TlsFiles.PROTOCOLS.clone());
                  t.setEnabledCipherSuites(TlsFiles.preferAes128Gcm(t.getEnabledCipherSuites()));
                  t.startHandshake();
                  return t.getSession().getCipherSuite();
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      try (SSLSocket t =
          (SSLSocket)
              cctx.getSocketFactory()
                  .createSocket(InetAddress.getLoopbackAddress(), listen.getLocalPort())) {
        String[] aes256First = t.getEnabledCipherSuites();
        assertThat(Arrays.asList(aes256First).indexOf("TLS_AES_256_GCM_SHA384"))
            .isLessThan(Arrays.asList(aes256First).indexOf("TLS_AES_128_GCM_SHA256"));
        t.startHandshake();
        assertThat(t.getSession().getCipherSuite()).isEqualTo("TLS_AES_128_GCM_SHA256");
        assertThat(t.getSession().getProtocol()).isEqualTo("TLSv1.3");
      }
      assertThat(accepted.get()).isEqualTo("TLS_AES_128_GCM_SHA256");
    }
  }
}
