package org.zrepl.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Rendering with all defaults spelt out is a fixed point of load-then-render. */
class ConfigRendererTest {

  static Config valid(LoadResult r) {
    if (r instanceof LoadResult.Invalid i) {
      throw new AssertionError(i.render());
    }
    return ((LoadResult.Valid) r).config();
  }

  @TestFactory
  Stream<DynamicTest> renderedYamlLoadsBackToTheSameConfig() throws Exception {
    return SamplesLoadTest.validSamples().stream()
        .map(
            sample ->
                DynamicTest.dynamicTest(
                    sample.getFileName().toString(),
                    () -> {
                      Config first = valid(ConfigLoader.load(sample));
                      String yaml = ConfigRenderer.yaml(first);
                      Config second = valid(ConfigLoader.parse("rendered.yml", yaml, Path.of(".")));
                      assertThat(ConfigRenderer.yaml(second)).isEqualTo(yaml);
                      assertThat(ConfigRenderer.tree(second)).isEqualTo(ConfigRenderer.tree(first));
                      assertThat(second).isEqualTo(first);
                      assertThat(new ObjectMapper().readTree(ConfigRenderer.json(first)).size())
                          .isEqualTo(2);
                      assertThat(PrettyPrinter.print(first)).startsWith("Config");
                    }));
  }
}
