package org.zrepl.zfs.fake;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.port.zfs.DatasetNotFoundException;
import org.zrepl.port.zfs.SendFlag;
import org.zrepl.port.zfs.SendRequest;
import org.zrepl.zfs.fake.FakeModel.Bookmark;
import org.zrepl.zfs.fake.FakeModel.Dataset;
import org.zrepl.zfs.fake.FakeModel.Snapshot;
import org.zrepl.zfs.fake.FakeStreamFormat.Payload;

/** Builds the bytes of a fake {@code zfs send}; runs under the {@link InMemoryZfs} lock. */
final class FakeSend {

  private final FakeState s;

  FakeSend(FakeState s) {
    this.s = s;
  }

  static List<String> argv(SendRequest r) {
    List<String> argv = new ArrayList<>(List.of("zfs", "send"));
    r.flags().stream().map(SendFlag::option).sorted().forEach(argv::add);
    if (r.resumeToken().isPresent()) {
      argv.add("-t");
      argv.add(r.resumeToken().get());
      return argv;
    }
    r.from()
        .ifPresent(
            f -> {
              argv.add(r.intermediates() ? "-I" : "-i");
              argv.add(f);
            });
    argv.add(r.filesystem() + r.to().orElseThrow());
    return argv;
  }

  byte[] send(SendRequest r, List<String> argv) {
    checkFlags(r, argv);
    if (r.resumeToken().isPresent()) {
      // Like ZFS, 'zfs send -t' sends what the token names; the request's filesystem plays no part.
      return resume(r, argv);
    }
    Dataset d = s.require(argv, r.filesystem());
    String toName = r.to().orElseThrow().substring(1);
    Snapshot to = d.snapshots.get(toName);
    if (to == null) {
      throw FakeState.notFound(argv, d.path + "@" + toName);
    }
    boolean props = r.flags().contains(SendFlag.PROPERTIES);
    boolean raw = r.flags().contains(SendFlag.RAW);
    checkKey(d, toName, raw, argv);
    FakeStreamFormat.Writer w = new FakeStreamFormat.Writer();
    if (r.from().isEmpty()) {
      return w.record(
              'S', to.guid, 0, epoch(to), d.path + "@" + to.name, payload(d, to, props, raw), 0)
          .finish();
    }
    String from = r.from().get();
    long fromGuid;
    long fromTxg;
    if (from.startsWith("#")) {
      if (!s.caps.bookmarks()) {
        throw FakeState.unsupported(argv, s.caps, "cannot send from a bookmark: unsupported");
      }
      Bookmark b = d.bookmarks.get(from.substring(1));
      if (b == null) {
        throw sourceMissing(argv, d, from);
      }
      fromGuid = b.guid();
      fromTxg = b.createTxg();
    } else {
      Snapshot f = d.snapshots.get(from.substring(1));
      if (f == null) {
        throw sourceMissing(argv, d, from);
      }
      fromGuid = f.guid;
      fromTxg = f.createTxg;
    }
    if (fromTxg >= to.createTxg) {
      throw FakeState.failed(
          argv,
          "warning: cannot send '"
              + d.path
              + "@"
              + to.name
              + "': not an earlier snapshot from the same fs");
    }
    List<Snapshot> chain = new ArrayList<>();
    if (r.intermediates()) {
      for (Snapshot x : d.snapshotsByTxg()) {
        if (x.createTxg > fromTxg && x.createTxg <= to.createTxg) {
          chain.add(x);
        }
      }
    } else {
      chain.add(to);
    }
    long base = fromGuid;
    for (Snapshot x : chain) {
      w.record('S', x.guid, base, epoch(x), d.path + "@" + x.name, payload(d, x, props, raw), 0);
      base = x.guid;
    }
    return w.finish();
  }

  private byte[] resume(SendRequest r, List<String> argv) {
    FakeResumeToken t =
        FakeResumeToken.decode(r.resumeToken().get())
            .orElseThrow(
                () ->
                    FakeState.failed(
                        argv, "cannot resume send: resume token is corrupt or truncated"));
    Dataset d = s.require(argv, tokenFilesystem(t, argv));
    Snapshot to =
        d.snapshotByGuid(t.toGuid())
            .orElseThrow(
                () ->
                    new DatasetNotFoundException(
                        argv,
                        FakeState.EXIT_FAILURE,
                        "cannot resume send: '"
                            + t.toName()
                            + "' used in the initial send no longer exists\n"));
    if (t.fromGuid() != 0
        && d.snapshotByGuid(t.fromGuid()).isEmpty()
        && d.bookmarks.values().stream().noneMatch(b -> b.guid() == t.fromGuid())) {
      throw new DatasetNotFoundException(
          argv,
          FakeState.EXIT_FAILURE,
          "cannot resume send: incremental source "
              + Long.toUnsignedString(t.fromGuid())
              + " no longer exists\n");
    }
    // Like ZFS, 'zfs send -t' resumes with the token's flags (rawok), not the caller's.
    boolean raw = t.rawOk();
    checkKey(d, to.name, raw, argv);
    byte[] payload = payload(d, to, r.flags().contains(SendFlag.PROPERTIES), raw);
    if (t.bytes() > payload.length) {
      throw FakeState.failed(argv, "cannot resume send: resume token is corrupt or truncated");
    }
    return new FakeStreamFormat.Writer()
        .record('R', to.guid, t.fromGuid(), epoch(to), t.toName(), payload, t.bytes())
        .finish();
  }

  private void checkFlags(SendRequest r, List<String> argv) {
    if (r.resumeToken().isPresent() && !s.caps.resumableReceive()) {
      throw FakeState.unsupported(argv, s.caps, "invalid option 't'");
    }
    for (SendFlag f : r.flags()) {
      boolean ok =
          switch (f) {
            case RAW -> s.caps.rawSend();
            case SAVED -> s.caps.resumableReceive();
            case PROPERTIES -> true;
            // Quirk: zfs-fuse's send knows only -R -D -p -i -I; no capability covers these.
            case LARGE_BLOCKS, COMPRESSED, EMBEDDED_DATA, BACKUP_PROPERTIES -> !s.zfsFuse;
          };
      if (!ok) {
        throw FakeState.unsupported(argv, s.caps, "invalid option '" + f.option().charAt(1) + "'");
      }
    }
  }

  private static DatasetNotFoundException sourceMissing(List<String> argv, Dataset d, String from) {
    return new DatasetNotFoundException(
        argv,
        FakeState.EXIT_FAILURE,
        "warning: cannot send '"
            + d.path
            + "': incremental source ("
            + from
            + ") does not exist\n");
  }

  /** Sending an encrypted filesystem's plaintext needs its key; a raw send does not. */
  private static void checkKey(Dataset d, String snapshot, boolean raw, List<String> argv) {
    if (d.isEncrypted() && !d.keyLoaded && !raw) {
      // OpenZFS 2.1's wording (checked on the guest)
      throw FakeState.failed(
          argv,
          "warning: cannot send '" + d.path + "@" + snapshot + "': dataset key must be loaded");
    }
  }

  /**
   * The snapshot's content; with {@code -p} also the properties set on the filesystem. A raw send
   * of an encrypted filesystem marks the stream as encrypted ({@link FakeStreamFormat#RAW_CIPHER});
   * the receiver then has the data but not the key, as with OpenZFS.
   */
  private static byte[] payload(Dataset d, Snapshot snap, boolean props, boolean raw) {
    Map<String, String> p = new TreeMap<>();
    if (props) {
      p.putAll(d.receivedProps);
      p.putAll(d.localProps);
    }
    if (raw && d.isEncrypted()) {
      p.put(FakeStreamFormat.RAW_CIPHER, d.encryption);
    }
    return FakeStreamFormat.encodePayload(new Payload(p, snap.files));
  }

  private static DatasetPath tokenFilesystem(FakeResumeToken t, List<String> argv) {
    int at = t.toName().indexOf('@');
    try {
      return DatasetPath.of(t.toName().substring(0, Math.max(at, 0)));
    } catch (IllegalArgumentException e) {
      throw FakeState.failed(argv, "cannot resume send: resume token is corrupt or truncated");
    }
  }

  private static long epoch(Snapshot x) {
    return x.creation.getEpochSecond();
  }
}
