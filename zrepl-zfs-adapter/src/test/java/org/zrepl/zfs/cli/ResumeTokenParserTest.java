package org.zrepl.zfs.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.zrepl.port.zfs.ResumeTokenContents;
import org.zrepl.port.zfs.ZfsException;

class ResumeTokenParserTest {

  private static final List<String> ARGV = List.of("zfs", "send", "-nv", "-t", "1-x");

  @ParameterizedTest
  @CsvSource({
    "openzfs-2.1, 28b558999684d6ce",
    "openzfs-2.3, 189a0b144905652b",
  })
  void readsTheTokenContentsOfRealOutput(String flavour, String toGuid) {
    Golden g = Golden.of(flavour, "send-resume-estimate");

    ResumeTokenContents t = ResumeTokenParser.parse(new CommandResult(ARGV, 0, g.out(), g.err()));

    assertThat(t.toName()).isEqualTo("zgold/src@s2");
    assertThat(t.filesystem()).isEqualTo("zgold/src");
    assertThat(t.snapshot()).isEqualTo("s2");
    assertThat(Long.toHexString(t.toGuid())).isEqualTo(toGuid);
    assertThat(t.fromGuid()).isEmpty();
  }

  @Test
  void aRawSendsTokenSaysRawokAndAPlainOneDoesNot() {
    Golden raw = Golden.of("openzfs-2.1", "send-resume-raw");
    Golden plain = Golden.of("openzfs-2.1", "send-resume-estimate");

    ResumeTokenContents r = ResumeTokenParser.parse(new CommandResult(ARGV, 0, raw.out(), ""));
    ResumeTokenContents p = ResumeTokenParser.parse(new CommandResult(ARGV, 0, plain.out(), ""));

    assertThat(r.toName()).isEqualTo("t/e@a");
    assertThat(r.rawOk()).isTrue();
    assertThat(p.rawOk()).isFalse();
  }

  @Test
  void anIncrementalTokenHasItsBaseAndContentsOnStderrCount() {
    String err =
        """
        resume token contents:
        nvlist version: 0
        \tfromguid = 0x595d9f81aa9dddab
        \tobject = 0x1
        \ttoguid = 0x854f02a2dd32cf0d
        \ttoname = pool1/test@b
        cannot resume send: 'pool1/test@b' used in the initial send no longer exists
        """;

    ResumeTokenContents t = ResumeTokenParser.parse(new CommandResult(ARGV, 255, "", err));

    assertThat(t.toName()).isEqualTo("pool1/test@b");
    assertThat(t.toGuid()).isEqualTo(Long.parseUnsignedLong("854f02a2dd32cf0d", 16));
    assertThat(t.fromGuid()).hasValue(Long.parseUnsignedLong("595d9f81aa9dddab", 16));
  }

  @Test
  void aCorruptTokenIsAnErrorSayingSo() {
    assertThatThrownBy(
            () ->
                ResumeTokenParser.parse(
                    new CommandResult(ARGV, 255, "", "resume token is corrupt\n")))
        .isInstanceOf(ZfsException.class)
        .hasMessageContaining("resume token is corrupt");
    assertThatThrownBy(
            () ->
                ResumeTokenParser.parse(
                    new CommandResult(
                        ARGV,
                        0,
                        "resume token contents:\nnvlist version: 0\n\tobject = 0x1\n",
                        "")))
        .isInstanceOf(ZfsException.class)
        .hasMessageContaining("lack toname or toguid");
  }

  @Test
  void aRealIncrementalTokenKeepsEveryFieldInTheOrderZfsPrintedIt() {
    Golden g = Golden.of("openzfs-2.1", "send-resume-incremental");

    ResumeTokenContents t = ResumeTokenParser.parse(new CommandResult(ARGV, g.exit(), g.out(), ""));

    assertThat(t.toName()).isEqualTo("ztok/src@s2");
    assertThat(Long.toHexString(t.toGuid())).isEqualTo("f107ca83ac29c075");
    assertThat(t.fromGuid()).hasValue(Long.parseUnsignedLong("c63d894ef5da761e", 16));
    assertThat(t.rawOk()).isFalse();
    assertThat(t.fields())
        .containsExactly(
            entry("fromguid", "0xc63d894ef5da761e"),
            entry("object", "0x80"),
            entry("offset", "0xc0000"),
            entry("bytes", "0xe2018"),
            entry("toguid", "0xf107ca83ac29c075"),
            entry("toname", "ztok/src@s2"),
            entry("embedok", "1"),
            entry("compressok", "1"));
  }

  @Test
  void aRealCorruptTokenIsAnErrorWithZfsReason() {
    Golden g = Golden.of("openzfs-2.1", "send-resume-corrupt");

    assertThatThrownBy(
            () -> ResumeTokenParser.parse(new CommandResult(ARGV, g.exit(), g.out(), g.err())))
        .isInstanceOf(ZfsException.class)
        .hasMessageContaining("resume token is corrupt")
        .hasMessageContaining("(decompression failed)");
  }
}
