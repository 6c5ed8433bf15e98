package org.zrepl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every {@code samples/*.yml} passes {@code zrepl configcheck --skip-cert-check}, silently: the
 * samples name the certificate files of the reader's machines, which do not exist here. As zrepl's,
 * the flag does not skip the files of a tls logging outlet; the only errors allowed are those files
 * (under /etc/zrepl) missing.
 */
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
                      Cli r = Cli.run("configcheck", "--skip-cert-check", "--config", p.toString());
                      assertThat(r.out()).isEmpty();
                      List<String> errors =
                          r.err().lines().filter(l -> l.contains(": error: ")).toList();
                      assertThat(errors)
                          .allMatch(
                              l ->
                                  l.matches(
                                      ".*: error: (ca|cert|key) file /etc/zrepl/\\S+: no such"
                                          + " file"));
                      assertThat(r.code()).isEqualTo(errors.isEmpty() ? 0 : 1);
                    }));
  }
}
