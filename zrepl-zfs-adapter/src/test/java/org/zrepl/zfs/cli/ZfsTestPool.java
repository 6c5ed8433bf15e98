package org.zrepl.zfs.cli;

import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * A fresh file-backed pool for one test class, on this machine's ZFS or, when {@code
 * ZREPL_IT_SSH_CONFIG} is set, on the host {@code ZREPL_IT_SSH_HOST} (default {@code openzfs-vm})
 * reached through {@link SshProcessLauncher}. Named {@code zt<random>}, backed by {@code
 * /tmp/zrepl-test-<name>.img}, mounted under {@code /tmp/zrepl-test-<name>}; destroyed by {@link
 * #close()}. Without ZFS the test is skipped, unless {@code CI=true}: then it fails.
 */
final class ZfsTestPool implements AutoCloseable {

  final String name;
  final ProcessLauncher launcher;
  private final String image;
  final String mountpoint;

  private ZfsTestPool(String name, ProcessLauncher launcher) {
    this.name = name;
    this.launcher = launcher;
    this.image = "/tmp/zrepl-test-" + name + ".img";
    this.mountpoint = "/tmp/zrepl-test-" + name;
  }

  static ProcessLauncher launcherFromEnvironment() {
    String config = System.getenv("ZREPL_IT_SSH_CONFIG");
    if (config == null || config.isBlank()) {
      return new LocalProcessLauncher();
    }
    String host = System.getenv().getOrDefault("ZREPL_IT_SSH_HOST", "openzfs-vm");
    return new SshProcessLauncher(Path.of(config), host);
  }

  static ZfsTestPool create() {
    return create(launcherFromEnvironment());
  }

  static ZfsTestPool create(ProcessLauncher launcher) {
    ShortCommandRunner runner = new ShortCommandRunner(launcher);
    CommandResult probe;
    try {
      probe = runner.run(List.of("zpool", "list", "-H", "-o", "name"));
    } catch (RuntimeException e) {
      probe = new CommandResult(List.of("zpool", "list"), -1, "", e.toString());
    }
    if (!probe.ok()) {
      String why = "no usable ZFS (zpool list: " + probe.diagnostics().strip() + ")";
      if ("true".equals(System.getenv("CI"))) {
        fail("CI=true but " + why);
      }
      Assumptions.abort(why);
    }
    byte[] rnd = new byte[4];
    new SecureRandom().nextBytes(rnd);
    ZfsTestPool pool = new ZfsTestPool("zt" + HexFormat.of().formatHex(rnd), launcher);
    pool.sh("truncate -s 200M " + pool.image);
    pool.run("zpool", "create", "-m", pool.mountpoint, pool.name, pool.image);
    return pool;
  }

  /** Runs {@code argv} and fails the test if it fails. */
  String run(String... argv) {
    CommandResult r = new ShortCommandRunner(launcher).run(List.of(argv));
    if (!r.ok()) {
      throw new AssertionError(
          "test setup command " + List.of(argv) + " failed (" + r.exitCode() + "): " + r.stderr());
    }
    return r.stdout();
  }

  /** Runs a shell command line (through the launcher, so possibly remote). */
  String sh(String command) {
    return run("sh", "-c", command);
  }

  /** Writes {@code bytes} random bytes to {@code file} inside the mounted filesystem {@code fs}. */
  void writeRandom(String fs, String file, int bytes) {
    String mnt = run("zfs", "get", "-H", "-o", "value", "mountpoint", fs).strip();
    new ShortCommandRunner(launcher).run(List.of("zfs", "mount", fs));
    sh("head -c " + bytes + " /dev/urandom > '" + mnt + "/" + file + "' && sync");
  }

  /** The sha256 of {@code file} in {@code fs} (mounting it first). */
  String checksum(String fs, String file) {
    String mnt = run("zfs", "get", "-H", "-o", "value", "mountpoint", fs).strip();
    new ShortCommandRunner(launcher).run(List.of("zfs", "mount", fs));
    return sh("sha256sum < '" + mnt + "/" + file + "'").split(" ", 2)[0];
  }

  /** Mounts {@code fs} if needed and returns its mountpoint. */
  String mountpoint(String fs) {
    if (run("zfs", "get", "-H", "-o", "value", "mounted", fs).strip().equals("no")) {
      run("zfs", "mount", fs);
    }
    return run("zfs", "get", "-H", "-o", "value", "mountpoint", fs).strip();
  }

  /** Writes {@code data} to {@code file} in {@code fs}, through the launcher. */
  void writeFile(String fs, String file, byte[] data) {
    String path = mountpoint(fs) + "/" + file;
    exchange(List.of("sh", "-c", "cat > \"$0\"", path), data);
  }

  /** The content of {@code file} in {@code fs}; {@link AssertionError} if it does not exist. */
  byte[] readFile(String fs, String file) {
    return exchange(List.of("cat", mountpoint(fs) + "/" + file), new byte[0]);
  }

  /** Runs {@code argv} with {@code stdin}, returns stdout as bytes; fails the test on error. */
  private byte[] exchange(List<String> argv, byte[] stdin) {
    try {
      LaunchedProcess p = launcher.start(argv);
      StreamTail err = StreamTail.start(p.stderr(), StreamTail.DEFAULT_LIMIT, "test-stderr");
      try (var in = p.stdin()) {
        in.write(stdin);
      }
      byte[] out;
      try (var o = p.stdout()) {
        out = o.readAllBytes();
      }
      int exit = p.waitFor();
      if (exit != 0) {
        throw new AssertionError(argv + " failed (" + exit + "): " + err.await());
      }
      return out;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  @Override
  public void close() {
    ShortCommandRunner runner = new ShortCommandRunner(launcher);
    CommandResult r = runner.run(List.of("zpool", "destroy", "-f", name));
    // zfs-fuse reports "pool is busy" for a moment after a killed zfs send (its daemon still
    // finishes the ioctl). This is the one wait in the tests: cleanup of a real external system.
    for (int i = 0; i < 40 && !r.ok() && r.stderr().contains("busy"); i++) {
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      r = runner.run(List.of("zpool", "destroy", "-f", name));
    }
    runner.run(List.of("rm", "-f", image));
    runner.run(List.of("rmdir", mountpoint));
    if (!r.ok()) {
      throw new AssertionError("zpool destroy " + name + " failed: " + r.stderr());
    }
  }
}
