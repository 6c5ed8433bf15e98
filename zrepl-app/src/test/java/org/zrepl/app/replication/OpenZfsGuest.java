package org.zrepl.app.replication;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.zrepl.zfs.cli.LaunchedProcess;
import org.zrepl.zfs.cli.ProcessLauncher;
import org.zrepl.zfs.cli.SshProcessLauncher;

/**
 * Two fresh pools, a sending one and a receiving one, in the OpenZFS guest of {@code
 * ../shared/openzfs-vm}, reached through {@link SshProcessLauncher} with the ssh config named by
 * {@code ZREPL_IT_SSH_CONFIG} (host {@code ZREPL_IT_SSH_HOST}, default {@code openzfs-vm}). The
 * pools live on the guest's two virtio disks ({@code ZREPL_IT_POOL_DISKS}, default {@code
 * /dev/disk/by-id/virtio-zdisk1 /dev/disk/by-id/virtio-zdisk2}) and are destroyed after the class.
 *
 * <p>Gating: without {@code ZREPL_IT_SSH_CONFIG} the class is skipped, also on CI, because the
 * zfs-fuse phase of {@code .ci/run} has no guest; the OpenZFS phase sets {@code
 * ZREPL_IT_REQUIRE_OPENZFS=1}, and there (or with {@code CI=true} and a config) an unusable guest
 * is a failure. {@code .ci/run} also checks that this phase ran its tests.
 */
final class OpenZfsGuest implements BeforeAllCallback, AfterAllCallback {

  private ProcessLauncher launcher;
  private String source;
  private String sink;

  @Override
  public void beforeAll(ExtensionContext context) {
    String config = System.getenv("ZREPL_IT_SSH_CONFIG");
    boolean required = "1".equals(System.getenv("ZREPL_IT_REQUIRE_OPENZFS"));
    if (config == null || config.isBlank()) {
      if (required) {
        throw new IllegalStateException(
            "ZREPL_IT_REQUIRE_OPENZFS=1 but ZREPL_IT_SSH_CONFIG is not set");
      }
      Assumptions.abort(
          "no OpenZFS guest (ZREPL_IT_SSH_CONFIG unset); these run in the OpenZFS phase of .ci/run");
    }
    if (!Files.isReadable(Path.of(config))) {
      fail(required, "ZREPL_IT_SSH_CONFIG=" + config + " is not a readable file");
    }
    String host = System.getenv().getOrDefault("ZREPL_IT_SSH_HOST", "openzfs-vm");
    launcher = new SshProcessLauncher(Path.of(config), host);
    Result version = exec(List.of("zfs", "version"));
    if (version.exit() != 0) {
      fail(
          required, "'zfs version' in the guest failed (" + version.exit() + "): " + version.err());
    }
    String[] disks =
        System.getenv()
            .getOrDefault(
                "ZREPL_IT_POOL_DISKS",
                "/dev/disk/by-id/virtio-zdisk1 /dev/disk/by-id/virtio-zdisk2")
            .trim()
            .split("\\s+");
    if (disks.length < 2) {
      throw new IllegalStateException(
          "ZREPL_IT_POOL_DISKS must name two disks, got " + String.join(" ", disks));
    }
    byte[] rnd = new byte[3];
    new SecureRandom().nextBytes(rnd);
    String suffix = HexFormat.of().formatHex(rnd);
    source = "zsrc" + suffix;
    run("zpool", "create", "-f", "-m", "/mnt/" + source, source, disks[0]);
    sink = "zsnk" + suffix;
    run("zpool", "create", "-f", "-m", "/mnt/" + sink, sink, disks[1]);
  }

  private void fail(boolean required, String why) {
    if (required || "true".equals(System.getenv("CI"))) {
      throw new IllegalStateException("the OpenZFS guest is required but unusable: " + why);
    }
    Assumptions.abort("OpenZFS guest unusable, skipping: " + why);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (launcher == null) {
      return;
    }
    StringBuilder errors = new StringBuilder();
    for (String pool : new String[] {source, sink}) {
      if (pool != null) {
        Result r = exec(List.of("zpool", "destroy", "-f", pool));
        if (r.exit() != 0) {
          errors.append("zpool destroy ").append(pool).append(": ").append(r.err());
        }
      }
    }
    if (errors.length() > 0) {
      throw new IllegalStateException(errors.toString());
    }
  }

  ProcessLauncher launcher() {
    return launcher;
  }

  String source() {
    return source;
  }

  String sink() {
    return sink;
  }

  /** Runs {@code argv} in the guest; throws naming the command, exit code and stderr. */
  String run(String... argv) {
    Result r = exec(List.of(argv));
    if (r.exit() != 0) {
      throw new IllegalStateException(
          "guest command " + List.of(argv) + " exited " + r.exit() + ": " + r.err().strip());
    }
    return r.out();
  }

  /** Runs a shell command line in the guest. */
  String sh(String command) {
    return run("sh", "-c", command);
  }

  record Result(int exit, String out, String err) {}

  private Result exec(List<String> argv) {
    try {
      LaunchedProcess p = launcher.start(argv);
      p.stdin().close();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      Thread drain = new Thread(() -> copy(p.stderr(), err), "guest-stderr");
      drain.start();
      String out;
      try (InputStream o = p.stdout()) {
        out = new String(o.readAllBytes(), StandardCharsets.UTF_8);
      }
      int exit = p.waitFor();
      drain.join();
      return new Result(exit, out, err.toString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + argv + " in the guest", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + argv, e);
    }
  }

  private static void copy(InputStream in, ByteArrayOutputStream out) {
    try (in) {
      in.transferTo(out);
    } catch (IOException e) {
      // the process died; its exit code tells the rest
    }
  }
}
