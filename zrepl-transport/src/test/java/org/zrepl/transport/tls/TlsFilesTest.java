package org.zrepl.transport.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.zrepl.transport.tls.TestPki.KeyFormat;

class TlsFilesTest {
  private static final TestPki PKI = TestPki.create("test CA");

  @TempDir Path dir;

  private final Clock clock = Clock.systemUTC();

  private TestPki.Issued issue(String cn, KeyFormat f) {
    Instant now = Instant.now();
    return PKI.issue(dir, cn, List.of(), now.minusSeconds(60), now.plus(Duration.ofDays(1)), f);
  }

  @ParameterizedTest
  @EnumSource(KeyFormat.class)
  void readsEveryKeyFormatZreplUsersHave(KeyFormat f) throws Exception {
    TestPki.Issued c = issue("backup", f);
    String header =
        switch (f) {
          case PKCS8 -> "-----BEGIN PRIVATE KEY-----";
          case SEC1_EC -> "-----BEGIN EC PRIVATE KEY-----";
          case PKCS1_RSA -> "-----BEGIN RSA PRIVATE KEY-----";
        };
    assertThat(Files.readString(c.key())).startsWith(header);
    TlsFiles files = TlsFiles.load(PKI.writeCa(dir.resolve("ca.crt")), c.cert(), c.key(), clock);
    assertThat(files.commonName()).isEqualTo("backup");
  }

  @Test
  void aMissingFileIsNamed() {
    TestPki.Issued c = issue("backup", KeyFormat.SEC1_EC);
    Path ca = dir.resolve("nope.crt");
    assertThatThrownBy(() -> TlsFiles.load(ca, c.cert(), c.key(), clock))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ca file " + ca + ": no such file");
  }

  @Test
  void aFileWithoutACertificateIsNamed() throws Exception {
    TestPki.Issued c = issue("backup", KeyFormat.SEC1_EC);
    assertThatThrownBy(() -> TlsFiles.load(c.key(), c.cert(), c.key(), clock))
        .hasMessage("ca file " + c.key() + ": contains no PEM certificate (BEGIN CERTIFICATE)");
    Path garbage = dir.resolve("garbage.pem");
    Files.writeString(garbage, "-----BEGIN CERTIFICATE-----\nnot base64 !!\n");
    assertThatThrownBy(() -> TlsFiles.load(garbage, c.cert(), c.key(), clock))
        .hasMessageStartingWith("ca file " + garbage + ": cannot read it as PEM: ");
  }

  @Test
  void aKeyFileWithoutAKeyIsNamed() {
    TestPki.Issued c = issue("backup", KeyFormat.SEC1_EC);
    Path ca = PKI.writeCa(dir.resolve("ca.crt"));
    assertThatThrownBy(() -> TlsFiles.load(ca, c.cert(), c.cert(), clock))
        .hasMessage(
            "key file "
                + c.cert()
                + ": contains no PEM private key (BEGIN PRIVATE KEY, RSA PRIVATE KEY or EC"
                + " PRIVATE KEY)");
  }

  @Test
  void aKeyOfAnotherCertificateIsRefused() {
    TestPki.Issued a = issue("a", KeyFormat.SEC1_EC);
    TestPki.Issued b = issue("b", KeyFormat.PKCS8);
    Path ca = PKI.writeCa(dir.resolve("ca.crt"));
    assertThatThrownBy(() -> TlsFiles.load(ca, a.cert(), b.key(), clock))
        .hasMessage(
            "key file "
                + b.key()
                + ": the private key does not belong to the certificate 'CN=a' (issued by 'CN=test"
                + " CA') in cert file "
                + a.cert());
  }

  @Test
  void anExpiredCertificateIsRefusedWithItsDates() {
    Instant notAfter = Instant.parse("2026-01-02T00:00:00Z");
    TestPki.Issued c =
        PKI.issue(
            dir,
            "old",
            List.of(),
            Instant.parse("2026-01-01T00:00:00Z"),
            notAfter,
            KeyFormat.SEC1_EC);
    Path ca = PKI.writeCa(dir.resolve("ca.crt"));
    Clock later = Clock.fixed(Instant.parse("2026-03-01T00:00:00Z"), ZoneOffset.UTC);
    assertThatThrownBy(() -> TlsFiles.load(ca, c.cert(), c.key(), later))
        .hasMessage(
            "cert file "
                + c.cert()
                + ": certificate 'CN=old' (issued by 'CN=test CA') is valid from"
                + " 2026-01-01T00:00:00Z to 2026-01-02T00:00:00Z: it has expired (now"
                + " 2026-03-01T00:00:00Z)");
  }
}
