package org.zrepl.zfs.fake;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.port.zfs.DatasetBusyException;
import org.zrepl.port.zfs.DatasetExistsException;
import org.zrepl.port.zfs.DestinationModifiedException;
import org.zrepl.port.zfs.ReceiveOptions;
import org.zrepl.port.zfs.ZfsException;
import org.zrepl.zfs.fake.FakeModel.Dataset;
import org.zrepl.zfs.fake.FakeModel.PartialReceive;
import org.zrepl.zfs.fake.FakeModel.Snapshot;
import org.zrepl.zfs.fake.FakeStreamFormat.BadStreamException;
import org.zrepl.zfs.fake.FakeStreamFormat.Complete;
import org.zrepl.zfs.fake.FakeStreamFormat.End;
import org.zrepl.zfs.fake.FakeStreamFormat.Frame;
import org.zrepl.zfs.fake.FakeStreamFormat.Header;
import org.zrepl.zfs.fake.FakeStreamFormat.Payload;
import org.zrepl.zfs.fake.FakeStreamFormat.Truncated;

/**
 * A fake {@code zfs recv}. Reads the stream without holding the lock (so a sender or another thread
 * can use the fake meanwhile) and applies each complete record under it, like ZFS, which commits
 * every snapshot of a {@code -I} stream on its own.
 */
final class FakeReceive {

  private final FakeState s;
  private final Object lock;

  FakeReceive(FakeState s, Object lock) {
    this.s = s;
    this.lock = lock;
  }

  static List<String> argv(DatasetPath target, ReceiveOptions o) {
    List<String> argv = new ArrayList<>(List.of("zfs", "recv"));
    if (o.force()) {
      argv.add("-F");
    }
    if (o.unmounted()) {
      argv.add("-u");
    }
    if (o.resumable()) {
      argv.add("-s");
    }
    o.setProperties().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> argv.addAll(List.of("-o", e.getKey() + "=" + e.getValue())));
    o.excludeProperties().stream().sorted().forEach(x -> argv.addAll(List.of("-x", x)));
    argv.add(target.toString());
    return argv;
  }

  /**
   * As the real adapter feeds {@code zfs recv}: if the caller's stream throws, zfs recv sees its
   * input end there (a truncated stream, whose partial state {@code -s} keeps), and the caller's
   * error is rethrown, an {@link IOException} in an {@link java.io.UncheckedIOException}, with the
   * receive's own failure suppressed.
   */
  void receive(DatasetPath target, InputStream in, ReceiveOptions o, List<String> argv) {
    EndOnFailure input = new EndOnFailure(in);
    ZfsException failed = null;
    try {
      receiveFrom(target, input, o, argv);
    } catch (ZfsException e) {
      failed = e;
    }
    if (input.failure != null) {
      java.io.UncheckedIOException u =
          new java.io.UncheckedIOException(
              "reading the stream for '" + String.join(" ", argv) + "' failed", input.failure);
      if (failed != null) {
        u.addSuppressed(failed);
      }
      throw u;
    }
    if (failed != null) {
      throw failed;
    }
  }

  /** Ends (EOF) where the wrapped stream throws, keeping the exception. */
  private static final class EndOnFailure extends java.io.FilterInputStream {
    IOException failure;

    EndOnFailure(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      if (failure != null) {
        return -1;
      }
      try {
        return super.read();
      } catch (IOException e) {
        failure = e;
        return -1;
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (failure != null) {
        return -1;
      }
      try {
        return super.read(b, off, len);
      } catch (IOException e) {
        failure = e;
        return -1;
      }
    }
  }

  private void receiveFrom(
      DatasetPath target, InputStream in, ReceiveOptions o, List<String> argv) {
    FakeStreamFormat.Reader reader = new FakeStreamFormat.Reader(in);
    try {
      reader.begin();
      int records = 0;
      while (true) {
        Frame f = reader.next(h -> resumePrefix(target, h, argv));
        synchronized (lock) {
          if (f instanceof End) {
            if (records == 0) {
              throw FakeState.failed(argv, "cannot receive: invalid backup stream (empty)");
            }
            return;
          } else if (f instanceof Complete c) {
            apply(target, c.header(), c.payload(), o, argv, records == 0);
          } else {
            Truncated t = (Truncated) f;
            throw truncated(target, t.header(), t.payloadSoFar(), o, argv);
          }
        }
        records++;
      }
    } catch (BadStreamException e) {
      throw FakeState.failed(argv, "cannot receive: " + e.getMessage());
    } catch (IOException e) {
      throw new ZfsException(
          argv, FakeState.EXIT_FAILURE, "cannot receive: failed to read from stream: " + e, e);
    }
  }

  private static String kind(Header h) {
    return h.tag() == 'R'
        ? "cannot receive resume stream: "
        : h.isFull()
            ? "cannot receive new filesystem stream: "
            : "cannot receive incremental stream: ";
  }

  /** For a resumed record: the bytes the interrupted receive kept. */
  private byte[] resumePrefix(DatasetPath target, Header h, List<String> argv) {
    if (h.tag() != 'R') {
      return new byte[0];
    }
    synchronized (lock) {
      Dataset t = s.datasets.get(target);
      if (t == null || t.partial == null) {
        throw FakeState.failed(
            argv, kind(h) + "destination '" + target + "' has no partially received state");
      }
      PartialReceive p = t.partial;
      if (p.header().toGuid() != h.toGuid() || p.payloadSoFar().length != h.offset()) {
        throw FakeState.failed(
            argv,
            kind(h)
                + "stream does not continue the partial receive of '"
                + p.header().toName()
                + "' at offset "
                + p.payloadSoFar().length
                + " (stream: '"
                + h.toName()
                + "' at offset "
                + h.offset()
                + ")");
      }
      return p.payloadSoFar();
    }
  }

  /** What the record will do to the target, after checking it may; throws like ZFS otherwise. */
  private record Plan(Dataset existing, List<Snapshot> destroy) {}

  private Plan check(DatasetPath target, Header h, ReceiveOptions o, List<String> argv) {
    Dataset t = s.datasets.get(target);
    boolean resumed = h.tag() == 'R';
    if (h.isFull()) {
      if (t == null) {
        if ((!target.isRoot() && !s.datasets.containsKey(target.parent()))
            || s.pools.get(target.pool()) == null) {
          throw FakeState.notFound(argv, target.toString());
        }
        return new Plan(null, List.of());
      }
      if (resumed && t.inconsistent) {
        return new Plan(t, List.of());
      }
      if (t.partial != null) {
        throw partialState(argv, h, target);
      }
      if (!o.force()) {
        throw new DatasetExistsException(
            argv,
            FakeState.EXIT_FAILURE,
            kind(h) + "destination '" + target + "' exists\nmust specify -F to overwrite it\n");
      }
      if (!t.snapshots.isEmpty()) {
        throw new DatasetExistsException(
            argv,
            FakeState.EXIT_FAILURE,
            kind(h)
                + "destination has snapshots (eg. "
                + target
                + "@"
                + t.snapshotsByTxg().get(0).name
                + ")\nmust destroy them to overwrite it\n");
      }
      if (s.zfsFuse) {
        // Quirk observed on zfs-fuse 0.7: 'recv -F' of a full stream over an existing, mounted,
        // snapshot-less filesystem fails like this instead of overwriting it.
        throw FakeState.failed(argv, kind(h) + "I/O error");
      }
      return new Plan(t, List.of());
    }
    if (t == null) {
      throw FakeState.notFound(argv, target.toString());
    }
    if (t.partial != null && !resumed) {
      throw partialState(argv, h, target);
    }
    if (t.snapshots.containsKey(h.snapshotName())) {
      throw new DatasetExistsException(
          argv,
          FakeState.EXIT_FAILURE,
          kind(h) + "destination '" + target + "@" + h.snapshotName() + "' exists\n");
    }
    return s.zfsFuse
        ? checkIncrementalZfsFuse(t, h, o, argv)
        : checkIncrementalOpenZfs(t, h, o, argv);
  }

  /**
   * OpenZFS finds the stream's base anywhere among the target's snapshots. Without -F the target
   * must not have changed since the base; snapshots taken after it without changes do not matter
   * (they stay, and the received snapshot becomes the newest). With -F it rolls back to the base
   * and destroys the snapshots after it.
   */
  private Plan checkIncrementalOpenZfs(Dataset t, Header h, ReceiveOptions o, List<String> argv) {
    Snapshot base = t.snapshotByGuid(h.fromGuid()).orElseThrow(() -> noMatch(t, h, argv));
    if (!o.force()) {
      if (t.modifiedSince(base)) {
        throw modified(t, h, argv);
      }
      return new Plan(t, List.of());
    }
    List<Snapshot> later = new ArrayList<>();
    for (Snapshot x : t.snapshotsByTxg()) {
      if (x.createTxg > base.createTxg) {
        if (!x.holds.isEmpty()) {
          throw FakeState.busy(argv, "destroy", t.path + "@" + x.name);
        }
        later.add(x);
      }
    }
    return new Plan(t, later);
  }

  /**
   * Quirk of zfs-fuse (the pre-OpenZFS kernel code): the newest snapshot must be the base, or
   * nothing may have changed between the base and the newest snapshot; -F only discards changes
   * after the newest snapshot and never destroys snapshots.
   */
  private Plan checkIncrementalZfsFuse(Dataset t, Header h, ReceiveOptions o, List<String> argv) {
    Snapshot newest = t.newestSnapshot().orElseThrow(() -> noMatch(t, h, argv));
    if (!o.force() && t.modifiedSince(newest)) {
      throw modified(t, h, argv);
    }
    Snapshot base = t.snapshotByGuid(h.fromGuid()).orElseThrow(() -> noMatch(t, h, argv));
    if (newest.birth > base.createTxg) {
      throw noMatch(t, h, argv);
    }
    return new Plan(t, List.of());
  }

  /**
   * ZFS says this both for a missing base and for changes after it; like the real adapter, which
   * cannot tell them apart by the message, the fake reports a modified destination.
   */
  private static DestinationModifiedException noMatch(Dataset t, Header h, List<String> argv) {
    return new DestinationModifiedException(
        argv,
        FakeState.EXIT_FAILURE,
        kind(h) + "most recent snapshot of " + t.path + " does not\nmatch incremental source\n");
  }

  private static DestinationModifiedException modified(Dataset t, Header h, List<String> argv) {
    return new DestinationModifiedException(
        argv,
        FakeState.EXIT_FAILURE,
        kind(h) + "destination " + t.path + " has been modified\nsince most recent snapshot\n");
  }

  private static ZfsException partialState(List<String> argv, Header h, DatasetPath target) {
    return new DatasetBusyException(
        argv,
        FakeState.EXIT_FAILURE,
        kind(h)
            + "destination "
            + target
            + " contains partially-complete state from \"zfs receive -s\".\n");
  }

  private void apply(
      DatasetPath target,
      Header h,
      byte[] payloadBytes,
      ReceiveOptions o,
      List<String> argv,
      boolean first) {
    Plan plan = check(target, h, o, argv);
    Payload payload;
    try {
      payload = FakeStreamFormat.decodePayload(payloadBytes);
    } catch (BadStreamException e) {
      throw FakeState.failed(argv, kind(h) + e.getMessage());
    }
    Dataset t = plan.existing();
    String rawCipher = payload.properties().get(FakeStreamFormat.RAW_CIPHER);
    if (t == null) {
      t = s.create(target);
      t.mounted = !o.unmounted() || s.zfsFuse; // zfs-fuse's recv has no -u: it always mounts
      if (rawCipher != null) {
        // a raw stream creates its own encryption root whose key is not loaded here
        t.encryption = rawCipher;
        t.keyLoaded = false;
        t.mounted = false;
      }
    }
    if (t.inconsistent) {
      t.inconsistent = false;
      t.mounted = !o.unmounted() || s.zfsFuse;
    }
    for (Snapshot x : plan.destroy()) {
      t.snapshots.remove(x.name);
    }
    t.partial = null;
    t.files = FakeModel.copyFiles(payload.files());
    long txg = s.nextTxg(target);
    t.birth = txg;
    t.snapshots.put(
        h.snapshotName(),
        new Snapshot(
            h.snapshotName(),
            h.toGuid(),
            txg,
            Instant.ofEpochSecond(h.creationEpochSeconds()),
            txg,
            payload.files()));
    for (Map.Entry<String, String> e : payload.properties().entrySet()) {
      if (!e.getKey().equals(FakeStreamFormat.RAW_CIPHER)
          && !o.excludeProperties().contains(e.getKey())) {
        t.receivedProps.put(e.getKey(), e.getValue());
      }
    }
    if (first) {
      for (Map.Entry<String, String> e : o.setProperties().entrySet()) {
        FakeProperties.set(t, e.getKey(), e.getValue(), argv);
      }
    }
  }

  private ZfsException truncated(
      DatasetPath target, Header h, byte[] soFar, ReceiveOptions o, List<String> argv) {
    check(target, h, o, argv);
    if (!o.resumable()) {
      // zfs-fuse words it differently; both fail with exit status 1.
      return FakeState.failed(
          argv,
          kind(h)
              + (s.zfsFuse ? "invalid backup stream" : "checksum mismatch or incomplete stream"));
    }
    Dataset t = s.datasets.get(target);
    if (t == null) {
      // An interrupted full receive leaves the new filesystem behind, without snapshots.
      t = s.create(target);
      t.inconsistent = true;
      t.mounted = false;
    }
    Header original = h.tag() == 'R' && t.partial != null ? t.partial.header() : h;
    t.partial = new PartialReceive(original, soFar);
    return FakeState.failed(
        argv,
        kind(h)
            + "checksum mismatch or incomplete stream.\n"
            + "Partially received snapshot is saved.\n"
            + "A resuming stream can be generated on the sending system by running:\n"
            + "    zfs send -t "
            + FakeResumeToken.of(t.partial).encode());
  }

  /** {@code zfs recv -A}. */
  void abort(DatasetPath target, List<String> argv) {
    Dataset t = s.require(argv, target);
    if (t.partial == null) {
      throw FakeState.failed(
          argv, "'" + target + "' does not have any resumable receive state to abort");
    }
    if (t.inconsistent) {
      s.datasets.remove(target);
    } else {
      t.partial = null;
    }
    s.nextTxg(target);
  }
}
