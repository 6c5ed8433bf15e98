package org.zrepl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every {@code samples/*.yml} passes {@code zrepl configcheck}, silently. */
class SamplesTest {

  static final Path SAMPLES = Path.of("..", "samples");

  static List<Path> ymlFiles(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".yml")).sorted().toList();
    }
  }

  @TestFactory
  Stream<DynamicTest> everySamplePassesConfigcheck() throws IOException {
    List<Path> samples = ymlFiles(SAMPLES);
    assertThat(samples).hasSizeGreaterThanOrEqualTo(15);
    return samples.stream()
        .map(
            p ->
                DynamicTest.dynamicTest(
                    p.getFileName().toString(),
                    () -> {
                      Cli r = Cli.run("configcheck", "--config", p.toString());
                      assertThat(r.err()).isEmpty();
                      assertThat(r.out()).isEmpty();
                      assertThat(r.code()).isZero();
                    }));
  }
}
