package org.zrepl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.port.zfs.Property;
import org.zrepl.port.zfs.Zfs;
import org.zrepl.zfs.ZfsFusePoolFixture;
import org.zrepl.zfs.cli.CliZfs;
import org.zrepl.zfs.cli.LocalProcessLauncher;

/**
 * On zfs-fuse (no holds, no bookmarks) the targets' cursors are entries of the {@code
 * zrepl:cursors} property, written by real {@code zrepl run --once} replications of two local jobs;
 * after one job is removed from the configuration, {@code zfs-abstraction release-stale} removes
 * exactly its entry and {@code release-all} the property.
 */
class ZfsAbstractionZfsFuseIT {

  @RegisterExtension static final ZfsFusePoolFixture POOL = new ZfsFusePoolFixture();

  @TempDir Path dir;
  private final Zfs zfs = new CliZfs(new LocalProcessLauncher());
  private Path config;
  private String src;

  @BeforeEach
  void setUp() throws Exception {
    long n = System.nanoTime() % 100000;
    src = POOL.pool() + "/src" + n;
    String dst = POOL.pool() + "/dst" + n;
    zfs.createFilesystem(DatasetPath.of(src), java.util.Map.of(), false);
    zfs.createFilesystem(DatasetPath.of(dst), java.util.Map.of("atime", "off"), false);
    zfs.snapshot(List.of(DatasetPath.of(src)), "s1");
    config = dir.resolve("zrepl.yml");
    Files.writeString(config, jobs(src, dst, true));
  }

  private static String jobs(String src, String dst, boolean withOld) {
    String job =
        """
        - name: NAME
          type: local
          mapping: { "SRC": "DST/NAME" }
          recv: { placeholder: { encryption: inherit } }
          snapshotting: { type: manual }
          pruning: { keep_sender: [ { type: last_n, count: 5 } ], keep_receiver: [ { type: last_n, count: 5 } ] }
        """
            .replace("SRC", src)
            .replace("DST", dst);
    return "jobs:\n" + job.replace("NAME", "mirror") + (withOld ? job.replace("NAME", "old") : "");
  }

  private Cli run(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--config";
    all[1] = config.toString();
    System.arraycopy(args, 0, all, 2, args.length);
    return Cli.run(List.of(), () -> zfs, all);
  }

  private String cursors() {
    Property p = zfs.getProperties(src, Set.of("zrepl:cursors")).get("zrepl:cursors");
    return p == null || p.source() != Property.Source.LOCAL ? "" : p.value();
  }

  @Test
  void entriesOfARemovedJobAreStaleAndReleasedOneByOne() throws Exception {
    Cli mirror = run("run", "--once", "mirror");
    assertThat(mirror.code()).as(mirror.err()).isZero();
    Cli old = run("run", "--once", "old");
    assertThat(old.code()).as(old.err()).isZero();
    assertThat(cursors()).contains("mirror=").contains("old=");

    Cli list = run("zfs-abstraction", "list", "--fs", src);
    assertThat(list.code()).as(list.err()).isZero();
    assertThat(list.out().lines())
        .hasSize(2)
        .allMatch(
            l ->
                l.startsWith("replication-cursor-property \"")
                    && l.endsWith(" in " + src + " zrepl:cursors"));

    Files.writeString(config, jobs(src, POOL.pool() + "/unused", false)); // job 'old' removed
    Cli dry = run("zfs-abstraction", "release-stale", "--dry-run", "--fs", src);
    assertThat(dry.code()).as(dry.err()).isZero();
    assertThat(dry.out().lines())
        .singleElement()
        .asString()
        .startsWith("would destroy replication-cursor-property \"old=")
        .contains("job 'old' is not a job of this configuration");

    Cli stale = run("zfs-abstraction", "release-stale", "--fs", src);
    assertThat(stale.code()).as(stale.err()).isZero();
    assertThat(cursors()).startsWith("mirror=").doesNotContain("old=");

    Cli all = run("zfs-abstraction", "release-all", "--fs", src);
    assertThat(all.code()).as(all.err()).isZero();
    assertThat(all.out()).contains("replication-cursor-property \"mirror=", " ... OK");
    assertThat(cursors()).isEmpty();
  }
}
