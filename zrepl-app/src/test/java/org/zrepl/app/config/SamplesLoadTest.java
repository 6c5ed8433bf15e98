package org.zrepl.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

class SamplesLoadTest {

  static final Path SAMPLES = Path.of("..", "samples");

  static List<Path> validSamples() throws IOException {
    try (Stream<Path> s = Files.list(SAMPLES)) {
      return s.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
    }
  }

  @TestFactory
  Stream<DynamicTest> everySampleLoads() throws IOException {
    List<Path> samples = validSamples();
    assertThat(samples).hasSizeGreaterThan(10);
    return samples.stream()
        .map(
            p ->
                DynamicTest.dynamicTest(
                    p.getFileName().toString(),
                    () -> {
                      LoadResult r = ConfigLoader.load(p);
                      if (r instanceof LoadResult.Invalid i) {
                        throw new AssertionError(i.render());
                      }
                      assertThat(r).isInstanceOf(LoadResult.Valid.class);
                    }));
  }
}
