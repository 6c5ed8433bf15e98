package org.zrepl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher {@code bin/zrepl} (which the Debian package's {@code /usr/bin/zrepl} and the systemd
 * unit run) passes the JVM flags docs/operations.md states: run for real in bash, with {@code JAVA}
 * pointing at a script that prints the arguments it was given.
 */
class LauncherTest {

  private static final Path LAUNCHER =
      Path.of("..").toAbsolutePath().normalize().resolve("bin/zrepl");

  @TempDir Path dir;
  private Path jar;
  private Path cds;
  private Path fakeJava;

  @BeforeEach
  void setUp() throws IOException {
    jar = Files.writeString(dir.resolve("zrepl.jar"), "not a jar");
    cds = Files.writeString(dir.resolve("zrepl.jsa"), "not an archive");
    fakeJava = dir.resolve("java");
    Files.writeString(fakeJava, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done\n");
    Files.setPosixFilePermissions(fakeJava, PosixFilePermissions.fromString("rwx------"));
  }

  @Test
  void daemonGetsABoundedHeapThatStartsSmallSerialGcExitOnOomAndTheCdsArchive() throws Exception {
    List<String> args = launch(Map.of(), "daemon", "--config", "/etc/zrepl/zrepl.yml");

    assertThat(args)
        .containsSubsequence(
            "-Xmx256m", "-Xms8m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError")
        .contains("-XX:SharedArchiveFile=" + cds)
        .doesNotContain("-XX:TieredStopAtLevel=1");
    assertThat(args.subList(args.indexOf("-jar"), args.size()))
        .containsExactly("-jar", jar.toString(), "daemon", "--config", "/etc/zrepl/zrepl.yml");
  }

  @Test
  void daemonFlagsAlsoWhenConfigComesFirst() throws Exception {
    List<String> args = launch(Map.of(), "--config", "/etc/zrepl/zrepl.yml", "daemon");

    assertThat(args).contains("-Xmx256m", "-Xms8m", "-XX:+ExitOnOutOfMemoryError");
  }

  @Test
  void runGetsTheBoundedHeapAndExitOnOomButNotTheSmallInitialHeap() throws Exception {
    List<String> args = launch(Map.of(), "run", "--once", "job");

    assertThat(args)
        .contains("-Xmx256m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError")
        .doesNotContain("-Xms8m", "-XX:TieredStopAtLevel=1");
  }

  @Test
  void clientCommandsGetC1OnlyAndNoHeapLimit() throws Exception {
    List<String> args = launch(Map.of(), "status", "--mode", "dump");

    assertThat(args)
        .contains("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:SharedArchiveFile=" + cds)
        .doesNotContain("-Xmx256m", "-XX:+ExitOnOutOfMemoryError");
  }

  @Test
  void zreplJavaOptsReplacesTheDefaults() throws Exception {
    List<String> args = launch(Map.of("ZREPL_JAVA_OPTS", "-Xmx1g -XX:+UseG1GC"), "daemon");

    assertThat(args).containsExactly("-Xmx1g", "-XX:+UseG1GC", "-jar", jar.toString(), "daemon");
  }

  @Test
  void noCdsFlagWithoutAnArchive() throws Exception {
    Files.delete(cds);

    assertThat(launch(Map.of(), "daemon")).noneMatch(a -> a.startsWith("-XX:SharedArchiveFile"));
  }

  @Test
  void theArchiveOnlyForTheJarPathItWasMadeWith() throws Exception {
    Path record = dir.resolve("zrepl.jsa.classpath");
    Files.writeString(record, jar + "\n");
    assertThat(launch(Map.of(), "run", "--once", "j")).contains("-XX:SharedArchiveFile=" + cds);

    // a moved or copied tree: the JVM would drop every archive, the JDK's own too
    Files.writeString(record, "/elsewhere/zrepl-cli/target/zrepl.jar\n");
    assertThat(launch(Map.of(), "run", "--once", "j"))
        .noneMatch(a -> a.startsWith("-XX:SharedArchiveFile"));
    assertThat(launch(Map.of(), "version"))
        .noneMatch(a -> a.startsWith("-XX:SharedArchiveFile"))
        .contains("-XX:TieredStopAtLevel=1");
  }

  private List<String> launch(Map<String, String> env, String... zreplArgs) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("bash", LAUNCHER.toString()));
    cmd.addAll(List.of(zreplArgs));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().remove("ZREPL_JAVA_OPTS");
    pb.environment().put("JAVA", fakeJava.toString());
    pb.environment().put("ZREPL_JAR", jar.toString());
    pb.environment().put("ZREPL_CDS_ARCHIVE", cds.toString());
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("launcher output: %s", out).isZero();
    return out.lines().toList();
  }
}
