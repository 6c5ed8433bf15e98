package org.zrepl.transport.frame;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HandshakeTest {

  private static byte[] sent(int version) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      Handshake.exchange(new ByteArrayInputStream(ourOwn(version)), out, version);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    return out.toByteArray();
  }

  private static byte[] ourOwn(int version) {
    return java.nio.ByteBuffer.allocate(Handshake.SIZE)
        .put(Handshake.MAGIC)
        .putInt(version)
        .array();
  }

  @Test
  void samePeersAgree() {
    assertThatCode(
            () ->
                Handshake.exchange(
                    new ByteArrayInputStream(sent(Handshake.VERSION)), new ByteArrayOutputStream()))
        .doesNotThrowAnyException();
  }

  @Test
  void aVersionMismatchIsNamedOnBothSides() {
    assertThatThrownBy(
            () ->
                Handshake.exchange(
                    new ByteArrayInputStream(ourOwn(2)), new ByteArrayOutputStream(), 1))
        .isInstanceOf(ProtocolException.class)
        .hasMessage(
            "protocol version mismatch: this side speaks version 1, the peer speaks version 2;"
                + " run the same zrepl version on both sides");
    assertThatThrownBy(
            () ->
                Handshake.exchange(
                    new ByteArrayInputStream(ourOwn(1)), new ByteArrayOutputStream(), 2))
        .hasMessage(
            "protocol version mismatch: this side speaks version 2, the peer speaks version 1;"
                + " run the same zrepl version on both sides");
  }

  @Test
  void aForeignPeerIsNamed() {
    byte[] http = "GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII);
    assertThatThrownBy(
            () -> Handshake.exchange(new ByteArrayInputStream(http), new ByteArrayOutputStream()))
        .hasMessage(
            "handshake: peer is not a zrepl-jvm endpoint (expected magic 'ZREPLJVM', got bytes"
                + " 47 45 54 20 2f 20 48 54)");
  }

  @Test
  void aShortHandshakeIsNamed() {
    assertThatThrownBy(
            () ->
                Handshake.exchange(
                    new ByteArrayInputStream(new byte[] {0x5a, 0x52}), new ByteArrayOutputStream()))
        .hasMessage("handshake: peer closed the connection after 2 of 12 bytes (got 5a 52)");
  }

  @Test
  void sendsMagicAndVersion() throws Exception {
    org.assertj.core.api.Assertions.assertThat(sent(1)).isEqualTo(ourOwn(1));
  }
}
