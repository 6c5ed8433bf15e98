package org.zrepl.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the loader refuses beyond unknown keys and bad values, each at its position: zrepl keys this
 * implementation will not pretend to honour, values zrepl takes that would make a job hang or
 * stall, job names the endpoints cannot use, and files the YAML parser should not be given.
 */
class LoaderRefusalsTest {

  @TempDir Path dir;

  private static final String PUSH =
      """
      jobs:
      - name: %s
        type: push
        connect: %s
        filesystems: { "pool<": true }
        snapshotting: { type: manual }
        pruning: { keep_sender: [], keep_receiver: [] }
        send: { bandwidth_limit: { max: "%s" } }
      """;

  private static String push(String name, String connect, String max) {
    return PUSH.formatted(name, connect, max);
  }

  private static final String TCP = "{ type: tcp, address: 'b:1' }";

  @Test
  void sshCommandAndTransportOpenCommandAreRefusedSayingWhatZreplDoesAndWhatToDo() {
    List<String> errors =
        ConfigLoaderTest.errors(
            """
            jobs:
            - name: p
              type: push
              connect:
                type: ssh+stdinserver
                host: b
                user: root
                port: 22
                identity_file: /k
                ssh_command: /opt/bin/ssh
                transport_open_command: [ssh, -T]
              filesystems: { "pool<": true }
              snapshotting: { type: manual }
              pruning: { keep_sender: [], keep_receiver: [] }
            """);
    assertThat(errors)
        .containsExactly(
            "10:5: 'ssh_command' in connect is refused by this implementation: zrepl accepts it but"
                + " never runs it (it always runs the 'ssh' on its PATH), so the program named here"
                + " would silently not be used; remove it; the 'ssh' found first on the daemon's"
                + " PATH runs, and ssh settings go in 'options' (e.g. [\"Compression=yes\"])",
            "11:5: 'transport_open_command' in connect is refused by this implementation: zrepl"
                + " accepts it but never runs it (it always builds the ssh command line from host,"
                + " user, port, identity_file and options), so the command given here would"
                + " silently not be used; remove it; the connection is opened with 'ssh -T -o"
                + " BatchMode=yes -i identity_file -p port -o option... user@host'");
  }

  @Test
  void zeroTimeoutsAreRefusedNamingTheDefault() {
    assertThat(
            ConfigLoaderTest.errors(
                push("p", "{ type: tcp, address: 'b:1', dial_timeout: 0s }", "-1 B")))
        .singleElement()
        .asString()
        .startsWith("4:55: 'dial_timeout: 0' is refused by this implementation")
        .endsWith("give a positive duration instead (the default is 10s)");
  }

  @Test
  void aRateBelowOneBytePerSecondIsRefused() {
    assertThat(ConfigLoaderTest.errors(push("p", TCP, "0 B")))
        .singleElement()
        .asString()
        .startsWith("8:35: 'max: 0 B' is refused: a rate below one byte per second would stall");
    assertThat(ConfigLoaderTest.errors(push("p", TCP, "7 bit"))).hasSize(1);
    ConfigLoaderTest.valid(push("p", TCP, "8 bit"));
  }

  @Test
  void jobNamesTheEndpointsCannotUseAreRefusedAtTheName() {
    assertThat(ConfigLoaderTest.errors(push("my push", TCP, "-1 B")))
        .containsExactly(
            "2:9: job name 'my push' must not contain a space in a push job: the name is part of"
                + " its replication cursor bookmark and hold names; write 'my_push' instead");
    assertThat(ConfigLoaderTest.errors(push("x".repeat(234), TCP, "-1 B")))
        .containsExactly(
            "2:9: job name of 234 characters is too long: at most 233 fit in the hold and bookmark"
                + " names the job's endpoints use");
    ConfigLoaderTest.valid(push("x".repeat(233), TCP, "-1 B"));
  }

  @Test
  void bytesThatAreNotUtf8AreLocated() throws IOException {
    Path file = dir.resolve("zrepl.yml");
    byte[] head = "jobs:\n- name: caf".getBytes(StandardCharsets.UTF_8);
    byte[] bytes = new byte[head.length + 2];
    System.arraycopy(head, 0, bytes, 0, head.length);
    bytes[head.length] = (byte) 0xE9; // Latin-1 e-acute
    bytes[head.length + 1] = '\n';
    Files.write(file, bytes);

    LoadResult r = ConfigLoader.load(file);

    assertThat(r).isInstanceOf(LoadResult.Invalid.class);
    assertThat(((LoadResult.Invalid) r).render())
        .isEqualTo(
            file
                + ":2:12: error: the file is not UTF-8 text: byte 0xE9 (byte offset 17) is not part"
                + " of a UTF-8 character; save the configuration as UTF-8\n"
                + "- name: caf\uFFFD\n"
                + "           ^\n");
  }

  @Test
  void controlCharactersAreLocatedAndNeverEchoed() {
    LoadResult r = ConfigLoader.parse("zrepl.yml", "jobs:\n- name: a\u0007b\n", dir);
    assertThat(((LoadResult.Invalid) r).render())
        .isEqualTo(
            "zrepl.yml:2:10: error: invalid YAML: the character U+0007 is not allowed in a YAML"
                + " file\n"
                + "- name: a?b\n"
                + "         ^\n");
  }

  @Test
  void overlongLinesAreRefusedBeforeTheYamlParserSpendsSecondsOnThem() {
    String yaml = "jobs:\n- name: " + "x".repeat(1 << 20) + "\n";
    long start = System.nanoTime();
    List<Diagnostic> d =
        ((LoadResult.Invalid) ConfigLoader.parse("zrepl.yml", yaml, dir)).diagnostics();
    assertThat(System.nanoTime() - start).isLessThan(2_000_000_000L);
    assertThat(d)
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.line()).isEqualTo(2);
              assertThat(x.column()).isEqualTo(ConfigText.MAX_LINE + 1);
              assertThat(x.message())
                  .isEqualTo(
                      "line 2 is 1048584 characters long, more than the 16384 a configuration"
                          + " line may have");
            });
  }
}
