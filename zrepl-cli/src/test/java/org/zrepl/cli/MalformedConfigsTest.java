package org.zrepl.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #16: hundreds of broken configurations, generated from the valid samples by {@link
 * ConfigMutator} with a fixed seed (another with {@code -Dzrepl.mutants.seed=N}, more with {@code
 * -Dzrepl.mutants.count=N}), each run through {@code zrepl configcheck}. Every one that is refused
 * is refused with exit code 1, nothing on standard output, and only located diagnostics ({@code
 * file:line:col: error: ...}, the source line, a caret) and the count: no stack trace, no
 * exception's name, no unlocated message. Mutations the loader must refuse are refused, and none
 * takes longer than a few seconds.
 */
class MalformedConfigsTest {

  private static final long SEED = Long.getLong("zrepl.mutants.seed", 20261204L);
  private static final int COUNT = Integer.getInteger("zrepl.mutants.count", 300);
  private static final Pattern HEADER = Pattern.compile("^(.+):(\\d+):(\\d+): error: (.+)$");
  private static final Pattern COUNT_LINE = Pattern.compile("^\\d+ errors?$");

  @TempDir Path dir;

  static List<ConfigMutator.Mutant> mutants(long seed, int count) throws IOException {
    Random random = new Random(seed);
    List<Path> samples =
        SamplesTest.ymlFiles(SamplesTest.SAMPLES).stream()
            // samples without keys have nothing to mutate
            .filter(
                p ->
                    !Set.of("empty.yml", "empty_document.yml").contains(p.getFileName().toString()))
            .toList();
    List<ConfigMutator.Mutant> out = new ArrayList<>();
    int attempts = 0;
    while (out.size() < count && attempts++ < count * 20) {
      Path sample = samples.get(random.nextInt(samples.size()));
      String text = Files.readString(sample, StandardCharsets.UTF_8);
      ConfigMutator.Mutant m =
          new ConfigMutator("samples/" + sample.getFileName(), text, random).next();
      if (m != null) {
        out.add(m);
      }
    }
    return out;
  }

  @TestFactory
  Stream<DynamicTest> everyBrokenConfigurationGetsLocatedErrorsAndNoStackTrace()
      throws IOException {
    List<ConfigMutator.Mutant> mutants = mutants(SEED, COUNT);
    assertThat(mutants).hasSize(COUNT);
    List<DynamicTest> tests = new ArrayList<>();
    int[] refused = new int[1];
    for (int i = 0; i < mutants.size(); i++) {
      ConfigMutator.Mutant m = mutants.get(i);
      // each in its own directory, so that an include of '.' does not see the others
      Path file = dir.resolve("mutant-" + i).resolve("zrepl.yml");
      tests.add(
          DynamicTest.dynamicTest(
              "#" + i + " " + m.description(),
              () -> {
                Files.createDirectories(file.getParent());
                Files.write(file, m.bytes());
                Cli r =
                    assertTimeoutPreemptively(
                        Duration.ofSeconds(20),
                        () -> Cli.run("configcheck", "--config", file.toString()));
                if (r.code() == 0) {
                  assertThat(m.mustFail())
                      .as("accepted, but must be refused: " + m.description())
                      .isFalse();
                  return;
                }
                refused[0]++;
                assertLocated(file.toString(), r);
              }));
    }
    tests.add(
        DynamicTest.dynamicTest(
            "at least 100 of them were refused",
            () -> {
              System.out.printf(
                  "malformed configs: seed %d, %d generated, %d refused with located errors,"
                      + " %d still valid (truncated or re-nested where that kept them valid)%n",
                  SEED, mutants.size(), refused[0], mutants.size() - refused[0]);
              assertThat(refused[0]).isGreaterThanOrEqualTo(100);
            }));
    return tests.stream();
  }

  /** Exit 1, and standard error is diagnostics (header, source line, caret) and the count. */
  static void assertLocated(String file, Cli r) {
    assertThat(r.code()).as(r.err()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .doesNotContain("\tat ")
        .doesNotContainPattern("(?m)^\\s+at [a-z]")
        .doesNotContainPattern(
            "\\b(java|org\\.yaml|org\\.zrepl)\\.[a-z.]+\\.[A-Z]\\w*(Exception|Error)\\b")
        .doesNotContain("zrepl: error:");
    List<String> lines = r.err().lines().toList();
    assertThat(lines.size()).as(r.err()).isGreaterThanOrEqualTo(4);
    assertThat(lines.get(lines.size() - 1)).matches(COUNT_LINE);
    int diagnostics = Integer.parseInt(lines.get(lines.size() - 1).split(" ", 0)[0]);
    assertThat(lines).hasSize(diagnostics * 3 + 1);
    for (int d = 0; d < diagnostics; d++) {
      var header = HEADER.matcher(lines.get(d * 3));
      assertThat(header.matches()).as("a located header: " + lines.get(d * 3)).isTrue();
      assertThat(header.group(1)).isEqualTo(file);
      String caret = lines.get(d * 3 + 2);
      assertThat(caret).as("a caret under column " + header.group(3)).endsWith("^");
      assertThat(caret.length()).isEqualTo(Integer.parseInt(header.group(3)));
    }
  }
}
