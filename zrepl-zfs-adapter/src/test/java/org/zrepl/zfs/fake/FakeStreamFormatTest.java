package org.zrepl.zfs.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.zrepl.zfs.fake.FakeStreamFormat.BadStreamException;
import org.zrepl.zfs.fake.FakeStreamFormat.Complete;
import org.zrepl.zfs.fake.FakeStreamFormat.End;
import org.zrepl.zfs.fake.FakeStreamFormat.Frame;
import org.zrepl.zfs.fake.FakeStreamFormat.Payload;
import org.zrepl.zfs.fake.FakeStreamFormat.Reader;
import org.zrepl.zfs.fake.FakeStreamFormat.Truncated;

class FakeStreamFormatTest {

  private static final byte[] PAYLOAD =
      FakeStreamFormat.encodePayload(
          new Payload(
              Map.of("zt:p", "v"), Map.of("f", "content".getBytes(StandardCharsets.UTF_8))));

  private static final byte[] STREAM =
      new FakeStreamFormat.Writer()
          .record('S', 11, 0, 1_700_000_000L, "pool/a@s1", PAYLOAD, 0)
          .record('S', 12, 11, 1_700_000_060L, "pool/a@s2", PAYLOAD, 0)
          .finish();

  @Test
  void roundTripsRecordsAndPayload() throws Exception {
    Reader r = new Reader(new ByteArrayInputStream(STREAM));
    r.begin();

    Complete first = (Complete) r.next(h -> new byte[0]);
    Complete second = (Complete) r.next(h -> new byte[0]);

    assertThat(first.header().toName()).isEqualTo("pool/a@s1");
    assertThat(first.header().isFull()).isTrue();
    assertThat(second.header().fromGuid()).isEqualTo(11);
    assertThat(second.header().snapshotName()).isEqualTo("s2");
    Payload p = FakeStreamFormat.decodePayload(second.payload());
    assertThat(p.properties()).containsEntry("zt:p", "v");
    assertThat(new String(p.files().get("f"), StandardCharsets.UTF_8)).isEqualTo("content");
    assertThat(r.next(h -> new byte[0])).isInstanceOf(End.class);
  }

  @Test
  void streamCutInsidePayloadIsTruncatedWithTheBytesSoFar() throws Exception {
    int headerEnd = indexAfterFirstHeader();
    Reader r = new Reader(new ByteArrayInputStream(Arrays.copyOf(STREAM, headerEnd + 5)));
    r.begin();

    Frame f = r.next(h -> new byte[0]);

    assertThat(f).isInstanceOf(Truncated.class);
    assertThat(((Truncated) f).payloadSoFar()).isEqualTo(Arrays.copyOf(PAYLOAD, 5));
  }

  @Test
  void resumedRecordContinuesTheKeptPrefix() throws Exception {
    byte[] resumed =
        new FakeStreamFormat.Writer()
            .record('R', 11, 0, 1_700_000_000L, "pool/a@s1", PAYLOAD, 5)
            .finish();
    Reader r = new Reader(new ByteArrayInputStream(resumed));
    r.begin();

    Complete c = (Complete) r.next(h -> Arrays.copyOf(PAYLOAD, (int) h.offset()));

    assertThat(c.payload()).isEqualTo(PAYLOAD);
  }

  static Stream<Arguments> malformed() throws IOException {
    byte[] badCrc = STREAM.clone();
    badCrc[indexAfterFirstHeader() + 2] ^= 1;
    return Stream.of(
        Arguments.of("empty", new byte[0], "failed to read from stream"),
        Arguments.of("short magic", "ZFA".getBytes(StandardCharsets.US_ASCII), "bad magic"),
        Arguments.of("wrong magic", "NOTZFAKE1".getBytes(StandardCharsets.US_ASCII), "bad magic"),
        Arguments.of("bad version", withHeader(out -> {}, 9), "unsupported version 9"),
        Arguments.of("eof before record", withHeader(out -> {}, 1), "incomplete stream"),
        Arguments.of("unknown record type", withHeader(out -> out.writeByte('Q'), 1), "type 81"),
        Arguments.of(
            "short header",
            withHeader(
                out -> {
                  out.writeByte('S');
                  out.writeLong(1);
                },
                1),
            "incomplete stream"),
        Arguments.of(
            "oversize payload",
            withHeader(
                out -> {
                  out.writeByte('S');
                  out.writeLong(1);
                  out.writeLong(0);
                  out.writeLong(0);
                  out.writeUTF("p/a@s");
                  out.writeLong(FakeStreamFormat.MAX_PAYLOAD + 1);
                  out.writeLong(0);
                },
                1),
            "payload length 1073741825, offset 0, limit 1073741824"),
        Arguments.of("checksum", badCrc, "checksum mismatch"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void malformedStreamsAreRejectedWithAReason(String name, byte[] stream, String message) {
    assertThatThrownBy(
            () -> {
              Reader r = new Reader(new ByteArrayInputStream(stream));
              r.begin();
              while (!(r.next(h -> new byte[0]) instanceof End)) {
                // read on
              }
            })
        .isInstanceOf(BadStreamException.class)
        .hasMessageContaining(message);
  }

  private interface Body {
    void write(DataOutputStream out) throws IOException;
  }

  private static byte[] withHeader(Body body, int version) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.write(FakeStreamFormat.MAGIC);
    out.writeByte(version);
    body.write(out);
    out.flush();
    return bytes.toByteArray();
  }

  /** Magic, version, tag, three longs, the name and two longs. */
  private static int indexAfterFirstHeader() {
    return FakeStreamFormat.MAGIC.length + 1 + 1 + 3 * 8 + 2 + "pool/a@s1".length() + 2 * 8;
  }
}
