package org.zrepl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.zrepl.cli.DaemonProcessHarness.Result;
import org.zrepl.zfs.ZfsFusePoolFixture;

/**
 * {@code send.encrypted: true} on zfs-fuse, which has no native encryption: the job is refused when
 * it starts, by {@code zrepl run --once} and by the daemon, naming the key and the reason; nothing
 * is sent.
 */
class EncryptedSendZfsFuseIT {

  @RegisterExtension static final ZfsFusePoolFixture POOL = new ZfsFusePoolFixture();

  static final Duration WAIT = Duration.ofSeconds(60);

  private Path dir;
  private Path config;
  private String src;
  private String dst;

  @BeforeEach
  void setUp() throws Exception {
    dir =
        Files.createTempDirectory(
            "zrepl-encrypted-it",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    config = dir.resolve("zrepl.yml");
    long n = System.nanoTime() % 100000;
    src = POOL.pool() + "/src" + n;
    dst = POOL.pool() + "/dst" + n;
    zfs("create", src);
    zfs("create", src + "/a");
    zfs("snapshot", src + "/a@s1");
    Files.writeString(
        config,
        "global:\n"
            + "  logging:\n"
            + "    - type: stdout\n"
            + "      level: info\n"
            + "      format: human\n"
            + "  control:\n"
            + "    sockpath: "
            + dir.resolve("control")
            + "\n"
            + "jobs:\n"
            + "  - name: secret\n"
            + "    type: local\n"
            + "    mapping:\n"
            + "      '"
            + src
            + "/a': '"
            + dst
            + "/a'\n"
            + "    snapshotting:\n"
            + "      type: manual\n"
            + "    send:\n"
            + "      encrypted: true\n"
            + "    pruning:\n"
            + "      keep_sender:\n"
            + "        - type: last_n\n"
            + "          count: 5\n"
            + "      keep_receiver:\n"
            + "        - type: last_n\n"
            + "          count: 5\n");
  }

  static String zfs(String... args) throws Exception {
    List<String> argv = new ArrayList<>(List.of("zfs"));
    argv.addAll(List.of(args));
    Result r = DaemonProcessHarness.run(argv);
    assertThat(r.code()).as("%s: %s", argv, r.out()).isZero();
    return r.out();
  }

  private boolean exists(String fs) throws Exception {
    return DaemonProcessHarness.run(List.of("zfs", "list", "-H", "-o", "name", fs)).code() == 0;
  }

  private static void assertNamesKeyAndReason(String text) {
    assertThat(text)
        .contains("job 'secret'")
        .contains("send.encrypted: true")
        .contains("zfs-fuse")
        .contains("no native encryption");
  }

  @Test
  void runOnceRefusesTheJobAndSendsNothing() throws Exception {
    Result r = DaemonProcessHarness.zrepl("--config", config.toString(), "run", "--once", "secret");

    assertThat(r.code()).as(r.out()).isNotZero().isNotEqualTo(2);
    assertNamesKeyAndReason(r.out());
    assertThat(exists(dst + "/a")).isFalse();
    assertThat(exists(dst)).isFalse();
  }

  @Test
  void theDaemonReportsTheJobFailedToStart() throws Exception {
    try (DaemonProcessHarness d = DaemonProcessHarness.start(config)) {
      String line = d.await(l -> l.contains("cannot build job"), WAIT, "the job refused");
      assertNamesKeyAndReason(line);

      Result st =
          DaemonProcessHarness.zrepl("status", "--mode", "raw", "--config", config.toString());
      assertThat(st.code()).as(st.out()).isZero();
      JsonNode job = new ObjectMapper().readTree(st.out()).path("jobs").get(0);
      assertThat(job.path("name").asText()).isEqualTo("secret");
      assertNamesKeyAndReason(job.toString());
      assertThat(exists(dst)).isFalse();
      d.signal("TERM");
    }
  }
}
