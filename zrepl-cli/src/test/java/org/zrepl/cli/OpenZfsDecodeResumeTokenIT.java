package org.zrepl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.zrepl.zfs.cli.CliZfs;
import org.zrepl.zfs.cli.LaunchedProcess;
import org.zrepl.zfs.cli.ProcessLauncher;
import org.zrepl.zfs.cli.SshProcessLauncher;

/**
 * {@code zrepl test decoderesumetoken} on a real token of the OpenZFS guest (see {@code
 * OpenZfsGuest} in zrepl-app for the environment): an incremental compressed send cut short into
 * {@code zfs recv -s}, decoded through {@link CliZfs} over ssh. Skipped without {@code
 * ZREPL_IT_SSH_CONFIG}; a failure when {@code ZREPL_IT_REQUIRE_OPENZFS=1}.
 */
class OpenZfsDecodeResumeTokenIT {

  private ProcessLauncher launcher;
  private String pool;

  @BeforeEach
  void pool() throws Exception {
    String config = System.getenv("ZREPL_IT_SSH_CONFIG");
    if (config == null || config.isBlank()) {
      if ("1".equals(System.getenv("ZREPL_IT_REQUIRE_OPENZFS"))) {
        throw new IllegalStateException("ZREPL_IT_REQUIRE_OPENZFS=1 but no ZREPL_IT_SSH_CONFIG");
      }
      Assumptions.abort("no OpenZFS guest (ZREPL_IT_SSH_CONFIG unset)");
    }
    launcher =
        new SshProcessLauncher(
            Path.of(config), System.getenv().getOrDefault("ZREPL_IT_SSH_HOST", "openzfs-vm"));
    String disk =
        System.getenv()
            .getOrDefault("ZREPL_IT_POOL_DISKS", "/dev/disk/by-id/virtio-zdisk1")
            .trim()
            .split("\\s+", -1)[0];
    byte[] rnd = new byte[3];
    new SecureRandom().nextBytes(rnd);
    pool = "ztok" + HexFormat.of().formatHex(rnd);
    sh("zpool create -f -m /mnt/" + pool + " " + pool + " " + disk);
  }

  @AfterEach
  void destroy() throws Exception {
    if (pool != null) {
      sh("zpool destroy -f " + pool);
    }
  }

  @Test
  void decodesARealIncrementalToken() throws Exception {
    String src = pool + "/src";
    sh(
        "zfs create -o compression=lz4 "
            + src
            + " && dd if=/dev/urandom of=/mnt/"
            + src
            + "/f bs=1M count=2 2>/dev/null && zfs snapshot "
            + src
            + "@s1 && zfs send "
            + src
            + "@s1 | zfs recv "
            + pool
            + "/dst && dd if=/dev/urandom of=/mnt/"
            + src
            + "/g bs=1M count=4 2>/dev/null && zfs snapshot "
            + src
            + "@s2 && (zfs send -c -i @s1 "
            + src
            + "@s2 | head -c 1000000 | zfs recv -s "
            + pool
            + "/dst; true)");
    String token = sh("zfs get -H -o value receive_resume_token " + pool + "/dst").strip();
    String[] guids =
        sh("zfs get -H -p -o value guid " + src + "@s1 " + src + "@s2").split("\n", -1);
    CliZfs zfs = new CliZfs(launcher);

    Cli r = Cli.run(List.of(), () -> zfs, "test", "decoderesumetoken", "--token", token);

    assertThat(r.err()).isEmpty();
    assertThat(r.code()).isZero();
    assertThat(r.out())
        .contains(" \"HasFromGUID\": true,\n")
        .contains(" \"FromGUID\": " + guids[0].strip() + ",\n")
        .contains(" \"ToGUID\": " + guids[1].strip() + ",\n")
        .contains(" \"ToName\": \"" + src + "@s2\",\n")
        .contains(" \"HasCompressOK\": true,\n \"CompressOK\": true,\n")
        .contains(" \"HasRawOk\": false,\n");

    Cli bad =
        Cli.run(
            List.of(),
            () -> zfs,
            "test",
            "decoderesumetoken",
            "--token",
            token.substring(0, token.length() - 1) + (token.endsWith("0") ? "1" : "0"));
    assertThat(bad.code()).isEqualTo(1);
    assertThat(bad.err())
        .startsWith("zrepl: error: cannot decode resume token: ")
        .contains("resume token is corrupt");
  }

  private String sh(String command) throws IOException, InterruptedException {
    LaunchedProcess p = launcher.start(List.of("sh", "-c", command));
    p.stdin().close();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Thread drain =
        new Thread(
            () -> {
              try (InputStream e = p.stderr()) {
                e.transferTo(err);
              } catch (IOException ignored) {
                // the exit code tells
              }
            });
    drain.start();
    String out;
    try (InputStream o = p.stdout()) {
      out = new String(o.readAllBytes(), StandardCharsets.UTF_8);
    }
    int exit = p.waitFor();
    drain.join();
    if (exit != 0) {
      throw new IllegalStateException(
          "guest: " + command + " exited " + exit + ": " + err.toString(StandardCharsets.UTF_8));
    }
    return out;
  }
}
