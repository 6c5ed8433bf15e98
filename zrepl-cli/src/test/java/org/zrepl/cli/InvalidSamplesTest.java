package org.zrepl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Each {@code samples/invalid/NN-name.yml} fails {@code configcheck} with exit code 1 and exactly
 * the text in {@code NN-name.expected} (file names shown relative to the repository root).
 * Regenerate after a deliberate message change with {@code -Dzrepl.regenerateExpected=true}, then
 * review the diff.
 */
class InvalidSamplesTest {

  static final Path INVALID = SamplesTest.SAMPLES.resolve("invalid");

  @TestFactory
  Stream<DynamicTest> everyBrokenSampleFailsWithTheExpectedMessages() throws IOException {
    List<Path> samples = SamplesTest.ymlFiles(INVALID);
    assertThat(samples).hasSizeGreaterThanOrEqualTo(30);
    boolean regenerate = Boolean.getBoolean("zrepl.regenerateExpected");
    return samples.stream()
        .map(
            p ->
                DynamicTest.dynamicTest(
                    p.getFileName().toString(),
                    () -> {
                      Cli r = Cli.run("configcheck", "--config", p.toString());
                      String actual = r.err().replace("../samples/", "samples/");
                      Path expectedFile =
                          p.resolveSibling(
                              p.getFileName().toString().replaceFirst("\\.yml$", ".expected"));
                      if (regenerate) {
                        Files.writeString(expectedFile, actual, StandardCharsets.UTF_8);
                      }
                      assertThat(r.code()).isEqualTo(1);
                      assertThat(r.out()).isEmpty();
                      assertThat(actual).isEqualTo(Files.readString(expectedFile));
                    }));
  }
}
