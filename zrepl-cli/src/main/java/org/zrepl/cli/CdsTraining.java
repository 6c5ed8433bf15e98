package org.zrepl.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * The training run of the class-data-sharing archive that bin/zrepl gives client commands (the
 * build and the package's postinst run it with {@code -XX:DumpLoadedClassList}, then make a static
 * archive of that list with {@code -Xshare:dump}): runs {@code version}, {@code configcheck},
 * {@code status --mode dump} and {@code signal} in one JVM, so that the archive holds the classes
 * each of them loads. The config is its own, with a control socket in a fresh private directory
 * where no daemon listens: status and signal fail to connect, and nothing running is touched.
 */
final class CdsTraining {

  private CdsTraining() {}

  public static void main(String[] args) throws IOException {
    Path dir = Files.createTempDirectory("zrepl-cds-training");
    Path run = dir.resolve("run");
    Files.createDirectory(
        run, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Path config = dir.resolve("zrepl.yml");
    Files.writeString(
        config,
        """
        global:
          control: { sockpath: %s }
        jobs:
        - name: training
          type: snap
          filesystems: { "pool<": true }
          snapshotting: { type: manual }
          pruning: { keep: [ { type: last_n, count: 3 } ] }
        """
            .formatted(run.resolve("control")),
        StandardCharsets.UTF_8);
    PrintWriter none =
        new PrintWriter(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
    String c = config.toString();
    for (List<String> argv :
        List.of(
            List.of("version"),
            List.of("configcheck", "--config", c),
            List.of("status", "--mode", "dump", "--config", c),
            List.of("signal", "wakeup", "training", "--config", c))) {
      Main.run(argv.toArray(String[]::new), none, none);
    }
    Files.delete(config);
    Files.delete(run);
    Files.delete(dir);
  }
}
