package org.zrepl.app.endpoint;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.replication.CursorRecord;
import org.zrepl.port.zfs.Property;
import org.zrepl.port.zfs.Zfs;
import org.zrepl.port.zfs.ZfsException;

/**
 * Where a sender on a ZFS without bookmarks (zfs-fuse) remembers each target's replication cursor:
 * the user property {@value #PROPERTY} on the sending filesystem, one entry {@code <job id>=<guid
 * as 16 hex digits>} per target, separated by spaces. A job id is the job's name, or {@code <source
 * job>_C_<client identity>} for one puller of a {@code source} (see {@link
 * EndpointNames#forSourceClient}), the same ids zrepl puts into cursor bookmark names; neither can
 * contain a space or {@code =}.
 *
 * <p>Every sender pruning on this filesystem (any job, any side) keeps the snapshots recorded here,
 * so a target that is offline keeps its incremental base even while another target's job prunes;
 * {@code not_replicated} with {@code targets: all} takes the oldest of them. Only a value set
 * locally counts (a received copy, from {@code send.props}, describes another machine's targets).
 * An entry of a target that will never come back keeps its snapshot until the operator removes the
 * entry ({@code zfs set zrepl:cursors=...} without it, or {@code zfs inherit zrepl:cursors} for
 * all).
 */
public final class TargetCursors {

  /** The user property holding every target's cursor of a filesystem. */
  public static final String PROPERTY = CursorRecord.PROPERTY;

  /** Writers of one daemon change the property one at a time (read, modify, write). */
  private static final Object LOCK = new Object();

  private TargetCursors() {}

  /** Where pruning learns the recorded cursors of a filesystem. */
  @FunctionalInterface
  public interface Lookup {
    /** The recorded cursors of {@code fs}: job id to guid. */
    Map<String, Long> recorded(DatasetPath fs);

    /** Nothing recorded (a ZFS with bookmarks, or a remote sender). */
    static Lookup none() {
      return fs -> Map.of();
    }

    /**
     * The property on the local ZFS where it has no bookmarks; with bookmarks the cursor bookmarks
     * themselves are the record.
     */
    static Lookup of(Zfs zfs) {
      if (zfs.capabilities().bookmarks()) {
        return none();
      }
      return fs -> read(zfs, fs);
    }
  }

  /** The cursors recorded on {@code fs} (empty if none or the value was received). */
  public static Map<String, Long> read(Zfs zfs, DatasetPath fs) {
    Property p;
    try {
      p = zfs.getProperties(fs.toString(), Set.of(PROPERTY)).get(PROPERTY);
    } catch (ZfsException e) {
      throw ZfsFailures.of("reading the targets' cursors (" + PROPERTY + ") of", fs, e);
    }
    if (p == null || p.source() != Property.Source.LOCAL) {
      return Map.of();
    }
    return CursorRecord.parse(p.value());
  }

  /** Records that target {@code jobId} has the snapshot with {@code guid} of {@code fs}. */
  static void record(Zfs zfs, DatasetPath fs, String jobId, long guid) {
    synchronized (LOCK) {
      Map<String, Long> now = new TreeMap<>(read(zfs, fs));
      Long before = now.put(jobId, guid);
      if (before != null && before == guid) {
        return;
      }
      write(zfs, fs, now, "recording " + jobId + "'s cursor (" + PROPERTY + ") on");
    }
  }

  /** Removes target {@code jobId}'s entry ({@code guarantee_nothing}). */
  static void forget(Zfs zfs, DatasetPath fs, String jobId) {
    synchronized (LOCK) {
      Map<String, Long> now = new TreeMap<>(read(zfs, fs));
      if (now.remove(jobId) == null) {
        return;
      }
      write(zfs, fs, now, "removing " + jobId + "'s cursor (" + PROPERTY + ") from");
    }
  }

  private static void write(Zfs zfs, DatasetPath fs, Map<String, Long> cursors, String what) {
    try {
      if (cursors.isEmpty()) {
        zfs.inheritProperty(fs, PROPERTY);
      } else {
        zfs.setProperty(fs, PROPERTY, CursorRecord.format(cursors));
      }
    } catch (ZfsException e) {
      throw ZfsFailures.of(what, fs, e);
    }
  }
}
