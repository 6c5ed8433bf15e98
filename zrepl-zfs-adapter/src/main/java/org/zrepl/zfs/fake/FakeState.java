package org.zrepl.zfs.fake;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.port.zfs.DatasetBusyException;
import org.zrepl.port.zfs.DatasetExistsException;
import org.zrepl.port.zfs.DatasetNotFoundException;
import org.zrepl.port.zfs.UnsupportedZfsFeatureException;
import org.zrepl.port.zfs.ZfsCapabilities;
import org.zrepl.port.zfs.ZfsException;
import org.zrepl.zfs.fake.FakeModel.Dataset;
import org.zrepl.zfs.fake.FakeModel.Pool;

/**
 * Pools and datasets of one fake, plus the helpers every operation needs: guids, txgs, creation
 * times and ZFS-like errors. Guarded by the {@link InMemoryZfs} lock.
 */
final class FakeState {

  /** The ZFS exit code for a failed command. */
  static final int EXIT_FAILURE = 1;

  /** The ZFS exit code for a usage error (such as an option this version does not know). */
  static final int EXIT_USAGE = 2;

  final ZfsCapabilities caps;
  final boolean zfsFuse;
  private final Clock clock;
  private final Random random;
  private final Set<Long> usedGuids = new HashSet<>();
  final Map<String, Pool> pools = new TreeMap<>();
  final Map<DatasetPath, Dataset> datasets = new TreeMap<>();

  FakeState(ZfsCapabilities caps, Clock clock, long seed) {
    this.caps = caps;
    // zfs-fuse's quirks that no capability describes (see the callers of zfsFuse).
    this.zfsFuse = caps.flavour().startsWith("zfs-fuse");
    this.clock = clock;
    this.random = new Random(seed);
  }

  /** A fresh random 64-bit guid, never 0 (0 means "full stream" in a send header). */
  long newGuid() {
    long g;
    do {
      g = random.nextLong();
    } while (g == 0 || !usedGuids.add(g));
    return g;
  }

  /** ZFS records creation times in whole seconds. */
  Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.SECONDS);
  }

  Pool pool(DatasetPath path) {
    return pools.get(path.pool());
  }

  /** Every change happens in a new txg of the dataset's pool. */
  long nextTxg(DatasetPath path) {
    return pool(path).nextTxg();
  }

  Dataset create(DatasetPath path) {
    Dataset d = new Dataset(path, newGuid(), nextTxg(path), now());
    Dataset parent = path.isRoot() ? null : datasets.get(path.parent());
    if (parent != null && parent.isEncrypted()) {
      // OpenZFS: a new child of an encrypted filesystem is encrypted with the parent's key.
      d.encryption = parent.encryption;
      d.keyLoaded = parent.keyLoaded;
    }
    datasets.put(path, d);
    return d;
  }

  Dataset require(List<String> argv, DatasetPath path) {
    Dataset d = datasets.get(path);
    if (d == null) {
      throw notFound(argv, path.toString());
    }
    return d;
  }

  /** The dataset and its descendants, parents first. */
  List<Dataset> subtree(DatasetPath root) {
    List<Dataset> out = new ArrayList<>();
    for (Dataset d : datasets.values()) {
      if (d.path.hasPrefix(root)) {
        out.add(d);
      }
    }
    return out;
  }

  boolean hasChildren(DatasetPath path) {
    return datasets.keySet().stream().anyMatch(p -> !p.equals(path) && p.hasPrefix(path));
  }

  // --- errors, worded like ZFS's --------------------------------------------------------------

  static DatasetNotFoundException notFound(List<String> argv, String name) {
    return new DatasetNotFoundException(
        argv, EXIT_FAILURE, "cannot open '" + name + "': dataset does not exist\n");
  }

  static DatasetNotFoundException notFound(List<String> argv, String what, String name) {
    return new DatasetNotFoundException(
        argv, EXIT_FAILURE, "cannot " + what + " '" + name + "': dataset does not exist\n");
  }

  static DatasetExistsException exists(List<String> argv, String what, String name) {
    return new DatasetExistsException(
        argv, EXIT_FAILURE, "cannot " + what + " '" + name + "': dataset already exists\n");
  }

  static DatasetBusyException busy(List<String> argv, String what, String name) {
    return new DatasetBusyException(
        argv, EXIT_FAILURE, "cannot " + what + " '" + name + "': dataset is busy\n");
  }

  static ZfsException failed(List<String> argv, String stderr) {
    return new ZfsException(argv, EXIT_FAILURE, stderr.endsWith("\n") ? stderr : stderr + "\n");
  }

  /** What ZFS prints for an option or subcommand it does not know: a usage error. */
  static UnsupportedZfsFeatureException unsupported(
      List<String> argv, ZfsCapabilities caps, String what) {
    return new UnsupportedZfsFeatureException(
        argv, EXIT_USAGE, what + "\n(not supported by " + caps.flavour() + ")\n");
  }
}
