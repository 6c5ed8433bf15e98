package org.zrepl.app.replication;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.zrepl.app.endpoint.LocalReceiver;
import org.zrepl.app.endpoint.LocalSender;
import org.zrepl.domain.dataset.DatasetFilter;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.zfs.DatasetInfo;
import org.zrepl.port.zfs.Property;
import org.zrepl.port.zfs.Zfs;
import org.zrepl.port.zfs.ZfsCapabilities;
import org.zrepl.zfs.fake.InMemoryZfs;

/**
 * An {@link InMemoryZfs} with pools {@code src} and {@code dst}, a manual clock, and the job {@code
 * job} replicating {@code src/x} to {@code dst/src/x}.
 */
final class FakeWorld {

  static final String JOB = "job";
  static final DatasetPath DST = DatasetPath.of("dst");

  final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  final InMemoryZfs zfs;
  final RecordingListener events = new RecordingListener();

  FakeWorld(ZfsCapabilities caps) {
    zfs = new InMemoryZfs(caps, clock, 7);
    zfs.createPool("src");
    zfs.createPool("dst");
  }

  static DatasetPath p(String path) {
    return DatasetPath.of(path);
  }

  /** Creates the filesystem (and missing parents) and writes {@code f} = its name. */
  DatasetPath fs(String path) {
    DatasetPath fs = p(path);
    zfs.createFilesystem(fs, Map.of(), true);
    write(fs, path);
    return fs;
  }

  void write(DatasetPath fs, String content) {
    zfs.write(fs, "f", content.getBytes(StandardCharsets.UTF_8));
  }

  String read(DatasetPath fs) {
    return new String(
        zfs.read(fs, "f").orElseThrow(() -> new AssertionError("no file f in " + fs)),
        StandardCharsets.UTF_8);
  }

  /** Snapshots each filesystem one minute later than anything before. */
  void snapshot(String name, DatasetPath... filesystems) {
    for (DatasetPath fs : filesystems) {
      clock.advance(Duration.ofMinutes(1));
      zfs.snapshot(List.of(fs), name);
    }
  }

  static DatasetPath target(DatasetPath source) {
    return DST.append(source.components());
  }

  LocalSender sender(DatasetFilter filter) {
    return new LocalSender(zfs, filter, JOB, Set.of());
  }

  LocalReceiver receiver() {
    return new LocalReceiver(zfs, s -> Optional.of(target(s)), JOB);
  }

  ReplicationReport run(DatasetFilter filter, ReplicationPolicy policy) {
    return new ReplicationEngine(clock, clock::sleep)
        .run(sender(filter), receiver(), policy, events);
  }

  ReplicationReport run(DatasetFilter filter) {
    return run(filter, ReplicationPolicy.defaults());
  }

  static DatasetFilter filter(String... includes) {
    Map<String, String> rules = new java.util.LinkedHashMap<>();
    for (String i : includes) {
      rules.put(i, "ok");
    }
    return DatasetFilter.of(rules);
  }

  List<String> snapshotNames(DatasetPath fs) {
    return zfs.listVersions(fs).stream()
        .filter(FilesystemVersion::isSnapshot)
        .map(FilesystemVersion::name)
        .toList();
  }

  List<String> bookmarkNames(DatasetPath fs) {
    return zfs.listVersions(fs).stream()
        .filter(FilesystemVersion::isBookmark)
        .map(FilesystemVersion::name)
        .toList();
  }

  boolean exists(DatasetPath fs) {
    return zfs.listDatasets(List.of(), Set.of()).stream().anyMatch(d -> d.path().equals(fs));
  }

  /** Every hold in both pools as {@code fs@snap=tag}; empty where holds cannot be listed. */
  Set<String> allHolds() {
    return allHolds(zfs);
  }

  static Set<String> allHolds(Zfs zfs) {
    Set<String> out = new TreeSet<>();
    if (!zfs.capabilities().holds()) {
      return out;
    }
    for (DatasetInfo d : zfs.listDatasets(List.of(), Set.of())) {
      for (FilesystemVersion v : zfs.listVersions(d.path())) {
        if (v.isSnapshot()) {
          zfs.holds(d.path(), v.name()).forEach(t -> out.add(d.path() + "@" + v.name() + "=" + t));
        }
      }
    }
    return out;
  }

  /** Datasets with a resume token, i.e. a partial receive. */
  static List<DatasetPath> partialReceives(Zfs zfs) {
    List<DatasetPath> out = new ArrayList<>();
    if (!zfs.capabilities().resumableReceive()) {
      return out;
    }
    for (DatasetInfo d : zfs.listDatasets(List.of(), Set.of("receive_resume_token"))) {
      Optional<Property> t = d.property("receive_resume_token");
      if (t.isPresent() && !t.get().value().equals("-")) {
        out.add(d.path());
      }
    }
    return out;
  }

  /**
   * What the holds must be after a finished run: nothing on the sender, and on the receiver only
   * the last-received hold on each replica's newest snapshot.
   */
  void assertOnlyLastReceivedHolds(DatasetPath... replicas) {
    Set<String> expected = new TreeSet<>();
    for (DatasetPath r : replicas) {
      List<String> snaps = snapshotNames(r);
      expected.add(r + "@" + snaps.get(snaps.size() - 1));
    }
    assertHolds(expected);
  }

  /** Like {@link #assertOnlyLastReceivedHolds} with the held snapshot given. */
  void assertOnlyLastReceivedHoldsOn(DatasetPath replica, String snapshot) {
    assertHolds(Set.of(replica + "@" + snapshot));
  }

  private void assertHolds(Set<String> heldSnapshots) {
    Set<String> expected = new TreeSet<>();
    if (zfs.capabilities().holds()) {
      heldSnapshots.forEach(s -> expected.add(s + "=zrepl_last_received_J_" + JOB));
    }
    org.assertj.core.api.Assertions.assertThat(allHolds())
        .as("holds after the run")
        .isEqualTo(expected);
    org.assertj.core.api.Assertions.assertThat(partialReceives(zfs))
        .as("partial receives")
        .isEmpty();
  }
}
