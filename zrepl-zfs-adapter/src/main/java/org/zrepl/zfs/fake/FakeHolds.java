package org.zrepl.zfs.fake;

import java.util.List;
import java.util.Set;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.port.zfs.DatasetExistsException;
import org.zrepl.port.zfs.DatasetNotFoundException;
import org.zrepl.zfs.fake.FakeModel.Snapshot;

/** {@code zfs hold / release / holds}; runs under the {@link InMemoryZfs} lock. */
final class FakeHolds {

  private final FakeState s;

  FakeHolds(FakeState s) {
    this.s = s;
  }

  void hold(DatasetPath fs, String snapshot, String tag, List<String> argv) {
    Snapshot snap = snapshot(fs, snapshot, argv);
    if (!snap.holds.add(tag)) {
      throw new DatasetExistsException(
          argv,
          FakeState.EXIT_FAILURE,
          "cannot hold '" + fs + "@" + snapshot + "': tag already exists on this dataset\n");
    }
  }

  void release(DatasetPath fs, String snapshot, String tag, List<String> argv) {
    Snapshot snap = snapshot(fs, snapshot, argv);
    if (!snap.holds.remove(tag)) {
      throw new DatasetNotFoundException(
          argv,
          FakeState.EXIT_FAILURE,
          "cannot release '"
              + tag
              + "' from '"
              + fs
              + "@"
              + snapshot
              + "': no such tag on this dataset\n");
    }
  }

  /**
   * The tags. (zfs-fuse 0.7 can hold and release but not list: its {@code zfs holds} needs
   * OpenSolaris' {@code pyzfs.py}; that is why its preset has no holds at all.)
   */
  Set<String> tags(DatasetPath fs, String snapshot, List<String> argv) {
    return Set.copyOf(snapshot(fs, snapshot, argv).holds);
  }

  private Snapshot snapshot(DatasetPath fs, String snapshot, List<String> argv) {
    if (!s.caps.holds()) {
      throw FakeState.unsupported(argv, s.caps, "unrecognized command '" + argv.get(1) + "'");
    }
    Snapshot snap = s.require(argv, fs).snapshots.get(snapshot);
    if (snap == null) {
      throw FakeState.notFound(argv, fs + "@" + snapshot);
    }
    return snap;
  }
}
