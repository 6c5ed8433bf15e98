package org.zrepl.app.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;
import org.zrepl.app.replication.FilesystemResult;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.zfs.Zfs;

/** What the fan-out tests (fake, zfs-fuse, OpenZFS) read off a pool and a job's state. */
public final class FanOutChecks {
  private FanOutChecks() {}

  /** The snapshots of {@code fs} by name, with their guids. */
  public static Map<String, Long> guids(Zfs zfs, DatasetPath fs) {
    Map<String, Long> out = new TreeMap<>();
    zfs.listVersions(fs).stream()
        .filter(FilesystemVersion::isSnapshot)
        .forEach(v -> out.put(v.name(), v.guid()));
    return out;
  }

  /** The last replication of {@code fs}, which must have succeeded, with no job errors. */
  public static FilesystemResult.Ok ok(ReplicationJobState s, DatasetPath fs) {
    assertThat(s.errors()).isEmpty();
    return (FilesystemResult.Ok) s.lastReplication().orElseThrow().result(fs).orElseThrow();
  }
}
