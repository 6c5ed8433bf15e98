package org.zrepl.zfs.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.zrepl.port.zfs.ZfsException;

class SendSizeParserTest {

  private static final List<String> ARGV = List.of("zfs", "send", "-nvP", "p/a@s2");

  @ParameterizedTest
  @CsvSource({
    "openzfs-2.1, send-estimate, 271328",
    "openzfs-2.1, send-estimate-bookmark, 271328",
    "openzfs-2.1, send-resume-estimate, 231008",
    "openzfs-2.3, send-estimate, 271328",
    "openzfs-2.3, send-resume-estimate, 230208",
  })
  void readsTheSizeLineOfRealOutput(String flavour, String name, long size) {
    Golden g = Golden.of(flavour, name);

    assertThat(SendSizeParser.parse(ARGV, g.out())).hasValue(size);
  }

  @org.junit.jupiter.api.Test
  void outputWithoutASizeLineIsAnErrorNamingTheCommand() {
    assertThatThrownBy(() -> SendSizeParser.parse(ARGV, "full\tp/a@s2\n"))
        .isInstanceOf(ZfsException.class)
        .hasMessageContaining("zfs send -nvP p/a@s2")
        .hasMessageContaining("no 'size' line");
  }

  @org.junit.jupiter.api.Test
  void anUnparsableSizeIsAnErrorNamingTheLine() {
    assertThatThrownBy(() -> SendSizeParser.parse(ARGV, "size\t12k\n"))
        .isInstanceOf(ZfsException.class)
        .hasMessageContaining("unparsable size line 'size\t12k'");
  }

  @org.junit.jupiter.api.Test
  void theDryRunIsTheSendCommandWithNvp() {
    org.zrepl.domain.dataset.DatasetPath a = org.zrepl.domain.dataset.DatasetPath.of("p/a");
    assertThat(
            ZfsCommands.sendEstimate(
                org.zrepl.port.zfs.SendRequest.incremental(a, "@s1", "s2", java.util.Set.of())))
        .containsExactly("zfs", "send", "-nvP", "-i", "p/a@s1", "p/a@s2");
  }
}
