package org.zrepl.transport.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FrameReaderTest {

  @Test
  void roundTripsEveryFrameType() throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    FrameWriter w = new FrameWriter(buf);
    byte[] data = new byte[100_000];
    Arrays.fill(data, (byte) 7);
    w.header("{\"call\":\"x\"}".getBytes(StandardCharsets.UTF_8), false);
    w.data(data, 0, data.length);
    w.data(data, 10, 0);
    w.trailer("{}".getBytes(StandardCharsets.UTF_8));
    w.reset("{\"message\":\"stop\"}");

    FrameReader r = new FrameReader(new ByteArrayInputStream(buf.toByteArray()));
    assertThat(r.nextHeader()).isEqualTo(new FrameHeader(FrameType.HEADER, false, 12));
    assertThat(new String(r.readPayload(), StandardCharsets.UTF_8)).isEqualTo("{\"call\":\"x\"}");
    assertThat(r.nextHeader()).isEqualTo(new FrameHeader(FrameType.DATA, false, 100_000));
    byte[] got = new byte[100_000];
    int n = 0;
    int k;
    while ((k = r.readData(got, n, got.length - n)) > 0) {
      n += k;
    }
    assertThat(n).isEqualTo(100_000);
    assertThat(got).isEqualTo(data);
    assertThat(r.nextHeader()).isEqualTo(new FrameHeader(FrameType.DATA, false, 0));
    assertThat(r.nextHeader()).isEqualTo(new FrameHeader(FrameType.TRAILER, true, 2));
    assertThat(r.readPayload()).asString(StandardCharsets.UTF_8).isEqualTo("{}");
    assertThat(r.nextHeader().type()).isEqualTo(FrameType.RESET);
    assertThat(r.readPayload()).asString(StandardCharsets.UTF_8).contains("stop");
    assertThat(r.nextHeader()).as("clean end of stream at a frame boundary").isNull();
  }

  @Test
  void skipsAnUnreadPayload() throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    FrameWriter w = new FrameWriter(buf);
    w.data(new byte[5000], 0, 5000);
    w.trailer(new byte[0]);
    FrameReader r = new FrameReader(new ByteArrayInputStream(buf.toByteArray()));
    r.nextHeader();
    assertThat(r.nextHeader().type()).isEqualTo(FrameType.TRAILER);
  }

  @Test
  void writerRefusesAnOversizedFrame() {
    FrameWriter w = new FrameWriter(new ByteArrayOutputStream());
    assertThatThrownBy(() -> w.header(new byte[(1 << 20) + 1], true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("header frame of 1048577 bytes exceeds limit 1048576");
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        Arguments.of("short header", "01 01 00", "short frame header: got 3 of 8 bytes"),
        Arguments.of(
            "oversized data",
            "02 00 00 00 01 00 00 01",
            "data frame of 16777217 bytes exceeds limit 8388608"),
        Arguments.of(
            "oversized header, length near 2^32",
            "01 01 00 00 ff ff ff ff",
            "header frame of 4294967295 bytes exceeds limit 1048576"),
        Arguments.of("unknown type", "07 00 00 00 00 00 00 00", "unknown frame type 0x07"),
        Arguments.of(
            "unknown flag", "01 03 00 00 00 00 00 00", "header frame has unknown flags 0x030000"),
        Arguments.of(
            "data frame ending a message",
            "02 01 00 00 00 00 00 00",
            "data frame must not end a message (a trailer does)"),
        Arguments.of(
            "trailer not ending its message",
            "03 00 00 00 00 00 00 00",
            "trailer frame must end its message"),
        Arguments.of(
            "EOF mid-payload",
            "01 01 00 00 00 00 00 0a 7b 7d",
            "header frame truncated: got 2 of 10 payload bytes"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void malformedInputIsRejectedWithItsValue(String what, String hex, String message) {
    byte[] bytes = HexFormat.ofDelimiter(" ").parseHex(hex);
    FrameReader r = new FrameReader(new ByteArrayInputStream(bytes));
    assertThatThrownBy(
            () -> {
              r.nextHeader();
              r.readPayload();
            })
        .isInstanceOf(IOException.class)
        .hasMessage(message);
  }

  @Test
  void eofMidDataPayload() throws IOException {
    byte[] bytes = HexFormat.ofDelimiter(" ").parseHex("02 00 00 00 00 00 00 64 01 02 03");
    FrameReader r = new FrameReader(new ByteArrayInputStream(bytes));
    r.nextHeader();
    byte[] b = new byte[100];
    assertThat(r.readData(b, 0, 100)).isEqualTo(3);
    assertThatThrownBy(() -> r.readData(b, 3, 97))
        .hasMessage("data frame truncated: got 3 of 100 payload bytes");
  }
}
