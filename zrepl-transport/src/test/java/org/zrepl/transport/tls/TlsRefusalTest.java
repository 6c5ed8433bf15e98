package org.zrepl.transport.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** What a client is told when the server breaks off the TLS handshake. */
class TlsRefusalTest {

  @Test
  void aFatalAlertBlamesTheCertificate() {
    String m =
        TlsConnector.refused(
                "tls b:8550",
                "laptop",
                new SSLHandshakeException("Received fatal alert: bad_certificate"))
            .getMessage();
    assertThat(m)
        .isEqualTo(
            "tls b:8550 refused the TLS handshake (Received fatal alert: bad_certificate): its ca"
                + " must have signed this side's certificate (CN 'laptop') and its client_cns must"
                + " list 'laptop' (the server's log says which)");
  }

  @Test
  void aConnectionClosedWithoutAlertAlsoNamesABusyServersDeadline() {
    SSLHandshakeException closed =
        new SSLHandshakeException("Remote host terminated the handshake");
    closed.initCause(new EOFException("SSL peer shut down incorrectly"));
    String m = TlsConnector.refused("tls b:8550", "laptop", closed).getMessage();
    assertThat(m)
        .contains("refused the TLS handshake (Remote host terminated the handshake): either its ca")
        .contains("client_cns must list 'laptop'")
        .contains("or it did not finish the handshake within its serve handshake_timeout");
  }
}
