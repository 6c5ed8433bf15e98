package org.zrepl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The class-data-sharing training run: its jobs really run (a failing one throws, so the build
 * would fail rather than archive fewer classes unnoticed), and it records its class path.
 */
class CdsTrainingTest {

  @TempDir Path dir;

  @Test
  void runsTheJobsOnAnInMemoryZfsAndRecordsItsClassPath() throws Exception {
    Path record = dir.resolve("zrepl.jsa.classpath");

    CdsTraining.main(new String[] {record.toString()});

    assertThat(Files.readString(record, StandardCharsets.UTF_8))
        .isEqualTo(System.getProperty("java.class.path") + "\n");
  }
}
