package org.zrepl.zfs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.port.zfs.Zfs;

/**
 * A real, file-backed ZFS pool for integration tests, as a JUnit 5 extension:
 *
 * <pre>
 * &#64;RegisterExtension static final ZfsFusePoolFixture POOL = new ZfsFusePoolFixture();
 * &#64;Override protected ZfsFixture fixture() { return POOL.fixture(new CliZfs(...)); }
 * </pre>
 *
 * <p>Before the test class it creates pool {@code zt<random>} on {@code /tmp/zrepl-test-<pool>.img}
 * mounted under {@code /tmp/zrepl-test-<pool>-mnt}; after the class it destroys exactly that pool
 * and deletes its files. It never touches another pool. If {@code zfs} cannot be used the tests are
 * skipped, unless the environment has {@code CI=true}: there a missing ZFS is a failure, because a
 * skipped test cannot fail.
 *
 * <p>The fixture runs {@code zfs} itself (to create roots and find mountpoints), so the {@link Zfs}
 * under test is only exercised by the test.
 */
public final class ZfsFusePoolFixture implements BeforeAllCallback, AfterAllCallback {

  private static final long IMAGE_BYTES = 256L << 20;
  private static final long TIMEOUT_SECONDS = 120;

  private final long imageBytes;

  /** A pool of 256 MiB (a sparse file). */
  public ZfsFusePoolFixture() {
    this(IMAGE_BYTES);
  }

  /** A pool on a sparse file of {@code imageBytes}, for tests that move large streams. */
  public ZfsFusePoolFixture(long imageBytes) {
    if (imageBytes < (64L << 20)) {
      throw new IllegalArgumentException("imageBytes must be at least 64 MiB, got " + imageBytes);
    }
    this.imageBytes = imageBytes;
  }

  private final AtomicInteger next = new AtomicInteger();
  private String pool;
  private Path image;
  private Path mountRoot;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    String unavailable = whyUnavailable();
    if (unavailable != null) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new IllegalStateException(
            "CI=true but real ZFS is not usable, so the ZFS integration tests cannot run: "
                + unavailable);
      }
      Assumptions.abort("real ZFS is not usable, skipping: " + unavailable);
    }
    pool = "zt" + randomSuffix();
    image = Path.of("/tmp/zrepl-test-" + pool + ".img");
    mountRoot = Path.of("/tmp/zrepl-test-" + pool + "-mnt");
    try (var f = new java.io.RandomAccessFile(image.toFile(), "rw")) {
      f.setLength(imageBytes);
    }
    try {
      run("zpool", "create", "-m", mountRoot.toString(), pool, image.toString());
    } catch (RuntimeException e) {
      Files.deleteIfExists(image);
      pool = null;
      throw e;
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (pool == null) {
      return;
    }
    try {
      destroyPool();
    } finally {
      Files.deleteIfExists(image);
      deleteEmptyDirectories(mountRoot);
      pool = null;
    }
  }

  /**
   * zfs-fuse unmounts asynchronously: right after a test touched a filesystem, destroying may fail
   * with "pool is busy" / "dataset is busy" and succeed a moment later. So retry for a while.
   */
  private void destroyPool() throws InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try {
        run("zpool", "destroy", "-f", pool);
        return;
      } catch (IllegalStateException e) {
        if (attempt >= 50 || !e.getMessage().contains("busy")) {
          throw e;
        }
        Thread.sleep(200);
      }
    }
  }

  /** The pool's name, e.g. {@code zt3f9a1c2e}. */
  public String pool() {
    if (pool == null) {
      throw new IllegalStateException("the pool exists only between beforeAll and afterAll");
    }
    return pool;
  }

  /**
   * A fixture for one test: new roots {@code <pool>/t<n>} and {@code <pool>/r<n>}, and files
   * written into mountpoints.
   */
  public ZfsFixture fixture(Zfs zfs) {
    String p = pool();
    return new ZfsFixture() {
      @Override
      public Zfs zfs() {
        return zfs;
      }

      @Override
      public DatasetPath newRoot() {
        return createRoot(p + "/t" + next.incrementAndGet());
      }

      @Override
      public DatasetPath newReceiveRoot() {
        return createRoot(p + "/r" + next.incrementAndGet());
      }

      @Override
      public void write(DatasetPath fs, String file, byte[] data) {
        try {
          Files.write(mountpoint(fs).resolve(file), data);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot write " + file + " into " + fs, e);
        }
      }

      @Override
      public byte[] read(DatasetPath fs, String file) {
        Path path = mountpoint(fs).resolve(file);
        if (!Files.exists(path)) {
          throw new AssertionError("no file " + file + " in " + fs + " (" + path + ")");
        }
        try {
          return Files.readAllBytes(path);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read " + file + " from " + fs, e);
        }
      }
    };
  }

  private DatasetPath createRoot(String name) {
    run("zfs", "create", name);
    return DatasetPath.of(name);
  }

  /** The mountpoint of {@code fs}, mounting it first if it is not mounted (after recv -u). */
  private Path mountpoint(DatasetPath fs) {
    if (!fs.pool().equals(pool())) {
      throw new IllegalArgumentException("'" + fs + "' is not in the test pool " + pool);
    }
    if (run("zfs", "get", "-H", "-o", "value", "mounted", fs.toString()).strip().equals("no")) {
      run("zfs", "mount", fs.toString());
    }
    return Path.of(run("zfs", "get", "-H", "-o", "value", "mountpoint", fs.toString()).strip());
  }

  /** Null if {@code zpool} and {@code zfs} work here, else what went wrong. */
  private static String whyUnavailable() {
    try {
      run("zpool", "list", "-H", "-o", "name");
      run("zfs", "list", "-H", "-o", "name");
      return null;
    } catch (RuntimeException e) {
      return e.getMessage();
    }
  }

  private static String randomSuffix() {
    byte[] b = new byte[4];
    new SecureRandom().nextBytes(b);
    StringBuilder hex = new StringBuilder();
    for (byte x : b) {
      hex.append(String.format("%02x", x));
    }
    return hex.toString();
  }

  /** Runs a command and returns its stdout; throws naming the command, exit code and output. */
  static String run(String... argv) {
    List<String> command = List.of(argv);
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start '" + String.join(" ", command) + "': " + e, e);
    }
    try (InputStream out = p.getInputStream()) {
      p.getOutputStream().close();
      String output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(
            "'" + String.join(" ", command) + "' did not finish in " + TIMEOUT_SECONDS + "s");
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            "'"
                + String.join(" ", command)
                + "' exited with status "
                + p.exitValue()
                + ": "
                + output.strip());
      }
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IllegalStateException("interrupted while running " + command, e);
    }
  }

  private static void deleteEmptyDirectories(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    List<Path> all = new ArrayList<>();
    try (var walk = Files.walk(dir)) {
      walk.forEach(all::add);
    }
    for (int i = all.size() - 1; i >= 0; i--) {
      if (Files.isDirectory(all.get(i))) {
        try {
          Files.delete(all.get(i));
        } catch (IOException e) {
          // not empty or still a mountpoint: leave it rather than delete anything else
        }
      }
    }
  }
}
