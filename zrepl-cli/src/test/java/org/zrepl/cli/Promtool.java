package org.zrepl.cli;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Prometheus' {@code promtool} (Debian's {@code prometheus} package). Tests that need it skip
 * without it, except with {@code CI=true}, where scripts/test installs it and its absence fails.
 */
final class Promtool {

  private Promtool() {}

  static Optional<Path> find() {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    return Stream.of(path.split(":", -1))
        .map(d -> Path.of(d, "promtool"))
        .filter(Files::isExecutable)
        .findFirst();
  }

  /** promtool, or a skip (a failure with {@code CI=true}) saying how to get it. */
  static Path require() {
    Optional<Path> p = find();
    if (p.isEmpty() && "true".equals(System.getenv("CI"))) {
      throw new AssertionError(
          "CI=true but promtool is not on the PATH (scripts/test installs package prometheus)");
    }
    assumeTrue(
        p.isPresent(),
        "promtool not found: apt-get install --no-install-recommends prometheus to run this test");
    return p.get();
  }

  /** The repository's root (tests run in zrepl-cli). */
  static Path repo() {
    Path here = Path.of("").toAbsolutePath();
    return Files.exists(here.resolve("dist")) ? here : here.getParent();
  }
}
