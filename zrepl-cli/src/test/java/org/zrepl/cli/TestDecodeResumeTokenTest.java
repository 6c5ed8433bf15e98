package org.zrepl.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.port.zfs.ReceiveOptions;
import org.zrepl.port.zfs.ResumeTokenContents;
import org.zrepl.port.zfs.SendRequest;
import org.zrepl.port.zfs.SendStream;
import org.zrepl.port.zfs.ZfsCapabilities;
import org.zrepl.port.zfs.ZfsException;
import org.zrepl.zfs.fake.InMemoryZfs;

/** {@code zrepl test decoderesumetoken}: zrepl's flag and output, errors that say what failed. */
class TestDecodeResumeTokenTest {

  private static final DatasetPath SRC = DatasetPath.of("src/a");
  private static final DatasetPath DST = DatasetPath.of("dst/a");

  /** A fake pool pair with an interrupted resumable receive into dst/a; returns its token. */
  private static String interruptedReceive(InMemoryZfs zfs) throws IOException {
    zfs.createPool("src");
    zfs.createPool("dst");
    zfs.createFilesystem(SRC, Map.of(), false);
    zfs.write(SRC, "big", new byte[10_000]);
    zfs.snapshot(List.of(SRC), "s1");
    zfs.cutNextSendAfter(5_000);
    try (SendStream s = zfs.send(SendRequest.full(SRC, "s1", Set.of()));
        InputStream in = s.data()) {
      assertThatThrownBy(
              () ->
                  zfs.receive(
                      DST,
                      in,
                      new ReceiveOptions(false, false, false, Map.of(), Set.of())
                          .withResumable(true)))
          .isInstanceOf(ZfsException.class);
    } catch (ZfsException expectedFromFinish) {
      // the cut send fails when closed; the receive above already failed
    }
    return zfs.getProperties(DST.toString(), Set.of("receive_resume_token"))
        .get("receive_resume_token")
        .value();
  }

  private static InMemoryZfs fake() {
    return new InMemoryZfs(
        ZfsCapabilities.openZfs21(),
        Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC),
        1);
  }

  @Test
  void printsTheTokenAsZreplDoes() throws IOException {
    InMemoryZfs zfs = fake();
    String token = interruptedReceive(zfs);
    long guid = zfs.listVersions(SRC).get(0).guid();

    Cli r = Cli.run(List.of(), () -> zfs, "test", "decoderesumetoken", "--token", token);

    assertThat(r.err()).isEmpty();
    assertThat(r.code()).isZero();
    assertThat(r.out())
        .isEqualTo(
            """
            {
             "HasFromGUID": false,
             "HasToGUID": true,
             "FromGUID": 0,
             "ToGUID": %s,
             "ToName": "src/a@s1",
             "HasCompressOK": false,
             "CompressOK": false,
             "HasRawOk": false,
             "RawOK": false,
             "HasLargeBlockOK": false,
             "LargeBlockOK": false,
             "HasEmbedOk": false,
             "EmbedOK": false,
             "HasSavedOk": false,
             "SavedOk": false
            }
            """
                .formatted(Long.toUnsignedString(guid)));
  }

  /**
   * The fields of a real token: {@code zfs send -c -e -L -i @s1 ztok/src@s2} cut after 1 MB into
   * {@code zfs recv -s} on OpenZFS 2.1.11 in the guest; its {@code zfs send -nvt} output is the
   * adapter's golden {@code openzfs-2.1/send-resume-incremental}, which the parser test reads.
   */
  @Test
  void aRealIncrementalCompressedTokenShowsItsBaseAndFlags() {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("fromguid", "0xc63d894ef5da761e");
    fields.put("object", "0x80");
    fields.put("offset", "0xc0000");
    fields.put("bytes", "0xe2018");
    fields.put("toguid", "0xf107ca83ac29c075");
    fields.put("toname", "ztok/src@s2");
    fields.put("embedok", "1");
    fields.put("compressok", "1");
    ResumeTokenContents c =
        new ResumeTokenContents(
            "ztok/src@s2",
            Long.parseUnsignedLong("f107ca83ac29c075", 16),
            OptionalLong.of(Long.parseUnsignedLong("c63d894ef5da761e", 16)),
            false,
            fields);

    assertThat(TestDecodeResumeTokenCommand.json(c))
        .isEqualTo(
            """
            {
             "HasFromGUID": true,
             "HasToGUID": true,
             "FromGUID": 14284724565314270750,
             "ToGUID": 17368073154855551093,
             "ToName": "ztok/src@s2",
             "HasCompressOK": true,
             "CompressOK": true,
             "HasRawOk": false,
             "RawOK": false,
             "HasLargeBlockOK": false,
             "LargeBlockOK": false,
             "HasEmbedOk": true,
             "EmbedOK": true,
             "HasSavedOk": false,
             "SavedOk": false
            }
            """);
  }

  @Test
  void aGarbageTokenIsAnErrorNamingTheCommandAndWhatZfsSaid() throws IOException {
    InMemoryZfs zfs = fake();

    Cli r = Cli.run(List.of(), () -> zfs, "test", "decoderesumetoken", "--token", "1-abc-def");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .startsWith("zrepl: error: cannot decode resume token: ")
        .contains("zfs send -nvt 1-abc-def")
        .contains("resume token is corrupt");
  }

  @Test
  void theTokenIsRequiredAndNotEmpty() {
    Cli missing = Cli.run("test", "decoderesumetoken");
    Cli dash = Cli.run("test", "decoderesumetoken", "--token", "-");

    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("Missing required option: '--token=TOKEN'");
    assertThat(dash.code()).isEqualTo(2);
    assertThat(dash.err()).contains("--token is empty ('-' is how zfs shows");
  }

  @Test
  void onAZfsWithoutResumableSendTheRefusalSaysSo() {
    InMemoryZfs zfs =
        new InMemoryZfs(
            ZfsCapabilities.zfsFuse(),
            Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC),
            1);

    Cli r = Cli.run(List.of(), () -> zfs, "test", "decoderesumetoken", "--token", "1-abc-def");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith("zrepl: error: cannot decode resume token: ");
  }
}
