package org.zrepl.app.endpoint;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.replication.CursorRecord;
import org.zrepl.domain.replication.CursorRecord.Entry;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.endpoint.EndpointException;
import org.zrepl.port.zfs.Property;
import org.zrepl.port.zfs.Zfs;
import org.zrepl.port.zfs.ZfsException;

/**
 * Where a sender on a ZFS without bookmarks (zfs-fuse) remembers each target's replication cursor:
 * the user property {@value #PROPERTY} on the sending filesystem, one entry per target (see {@link
 * CursorRecord}: {@code <job id>=<guid as 16 hex digits>} when written one step at a time, {@code
 * <job id>=@<snapshot>} when written for a whole run at once), separated by spaces. A job id is the
 * job's name, or {@code <source job>_C_<client identity>} for one puller of a {@code source} (see
 * {@link EndpointNames#forSourceClient}), the same ids zrepl puts into cursor bookmark names;
 * neither can contain a space or {@code =}.
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
    /** The recorded cursors of {@code fs}, whose snapshots and bookmarks are {@code versions}. */
    Map<String, Long> recorded(DatasetPath fs, List<FilesystemVersion> versions);

    /** Nothing recorded (a ZFS with bookmarks, or a remote sender). */
    static Lookup none() {
      return (fs, versions) -> Map.of();
    }

    /**
     * The property on the local ZFS where it has no bookmarks; with bookmarks the cursor bookmarks
     * themselves are the record.
     */
    static Lookup of(Zfs zfs) {
      if (zfs.capabilities().bookmarks()) {
        return none();
      }
      return (fs, versions) -> read(zfs, fs, versions);
    }
  }

  /**
   * The cursors recorded on {@code fs} (empty if none or the value was received): job id to the
   * guid of its snapshot among {@code versions} (an entry by name whose snapshot is not there is
   * left out: it protects nothing).
   */
  public static Map<String, Long> read(Zfs zfs, DatasetPath fs, List<FilesystemVersion> versions) {
    Map<String, Long> out = new TreeMap<>();
    entries(zfs, fs).forEach((id, e) -> e.resolve(versions).ifPresent(g -> out.put(id, g)));
    return out;
  }

  /**
   * As {@link #read(Zfs, DatasetPath, List)}; lists the filesystem's versions only if an entry
   * names its snapshot by name.
   */
  public static Map<String, Long> read(Zfs zfs, DatasetPath fs) {
    Map<String, Entry> entries = entries(zfs, fs);
    List<FilesystemVersion> versions = List.of();
    if (entries.values().stream().anyMatch(Entry::byName)) {
      try {
        versions = zfs.listVersions(List.of(fs)).getOrDefault(fs, List.of());
      } catch (ZfsException e) {
        throw ZfsFailures.of("listing the snapshots the targets' cursors name of", fs, e);
      }
    }
    Map<String, Long> out = new TreeMap<>();
    for (Map.Entry<String, Entry> e : entries.entrySet()) {
      e.getValue().resolve(versions).ifPresent(g -> out.put(e.getKey(), g));
    }
    return out;
  }

  /** The entries recorded on {@code fs} as written (empty if none or the value was received). */
  static Map<String, Entry> entries(Zfs zfs, DatasetPath fs) {
    Property p;
    try {
      p = zfs.getProperties(fs.toString(), Set.of(PROPERTY)).get(PROPERTY);
    } catch (ZfsException e) {
      throw ZfsFailures.of("reading the targets' cursors (" + PROPERTY + ") of", fs, e);
    }
    return local(p);
  }

  /**
   * As {@link #entries}, from ZFS itself ({@link Zfs#getPropertiesNow}), never from a listing made
   * earlier: what a write starts from, so that another job's entry written meanwhile is kept.
   */
  private static Map<String, Entry> entriesNow(Zfs zfs, DatasetPath fs) {
    try {
      return local(zfs.getPropertiesNow(List.of(fs), Set.of(PROPERTY)).get(fs).get(PROPERTY));
    } catch (ZfsException e) {
      throw ZfsFailures.of("reading the targets' cursors (" + PROPERTY + ") of", fs, e);
    }
  }

  private static Map<String, Entry> local(Property p) {
    if (p == null || p.source() != Property.Source.LOCAL) {
      return Map.of();
    }
    return CursorRecord.entries(p.value());
  }

  /** Records that target {@code jobId} has the snapshot with {@code guid} of {@code fs}. */
  static void record(Zfs zfs, DatasetPath fs, String jobId, long guid) {
    synchronized (LOCK) {
      Map<String, Entry> now = new TreeMap<>(entriesNow(zfs, fs));
      Entry before = now.put(jobId, Entry.ofGuid(guid));
      if (Entry.ofGuid(guid).equals(before)) {
        return;
      }
      write(zfs, fs, now, "recording " + jobId + "'s cursor (" + PROPERTY + ") on");
    }
  }

  /**
   * Records that target {@code jobId} has, of each filesystem, the snapshot {@code newest} maps it
   * to, by name where the name can be written ({@link Entry#canName}). The current values are read
   * from ZFS in one {@code zfs get} (not from a listing: another job may have written meanwhile);
   * filesystems whose new values are equal (the usual case: one job, one snapshot name per run) get
   * them in one {@code zfs set}. A filesystem whose value cannot be read or written is named in the
   * exception, after all others are written.
   *
   * @throws EndpointException naming each filesystem whose cursor could not be recorded, and why
   */
  static void recordAll(Zfs zfs, String jobId, Map<DatasetPath, FilesystemVersion> newest) {
    if (newest.isEmpty()) {
      return;
    }
    synchronized (LOCK) {
      List<String> failures = new ArrayList<>();
      Map<DatasetPath, Map<String, Entry>> current = currentEntries(zfs, newest.keySet(), failures);
      Map<String, List<DatasetPath>> byValue = new LinkedHashMap<>();
      for (Map.Entry<DatasetPath, Map<String, Entry>> c : current.entrySet()) {
        FilesystemVersion to = newest.get(c.getKey());
        Entry entry =
            Entry.canName(to.name()) ? Entry.ofSnapshot(to.name()) : Entry.ofGuid(to.guid());
        Map<String, Entry> now = new TreeMap<>(c.getValue());
        if (entry.equals(now.put(jobId, entry))) {
          continue;
        }
        byValue.computeIfAbsent(CursorRecord.format(now), v -> new ArrayList<>()).add(c.getKey());
      }
      byValue.forEach((value, filesystems) -> setAll(zfs, filesystems, value, failures));
      if (!failures.isEmpty()) {
        throw new EndpointException(
            "recording "
                + jobId
                + "'s cursors ("
                + PROPERTY
                + ") failed on "
                + failures.size()
                + " of "
                + newest.size()
                + " filesystems: "
                + String.join("; ", failures),
            false);
      }
    }
  }

  /**
   * The entries of each of {@code filesystems} now (one {@code zfs get} for many, not a listing
   * made earlier: another job may have written its entry meanwhile); one read each if that fails.
   */
  private static Map<DatasetPath, Map<String, Entry>> currentEntries(
      Zfs zfs, Set<DatasetPath> filesystems, List<String> failures) {
    Map<DatasetPath, Map<String, Entry>> out = new TreeMap<>();
    try {
      zfs.getPropertiesNow(filesystems, Set.of(PROPERTY))
          .forEach((fs, props) -> out.put(fs, local(props.get(PROPERTY))));
      return out;
    } catch (ZfsException e) {
      // a filesystem went away meanwhile: read one by one below, to name it
    }
    for (DatasetPath fs : filesystems) {
      try {
        out.put(fs, entriesNow(zfs, fs));
      } catch (EndpointException e) {
        failures.add(fs + ": " + e.getMessage());
      }
    }
    return out;
  }

  /** One {@code zfs set} for all; if it fails, one each, so that the failures can be named. */
  private static void setAll(
      Zfs zfs, List<DatasetPath> filesystems, String value, List<String> failures) {
    try {
      zfs.setProperty(filesystems, PROPERTY, value);
      return;
    } catch (ZfsException e) {
      // which of them? (setting the same value again changes nothing)
    }
    for (DatasetPath fs : filesystems) {
      try {
        zfs.setProperty(fs, PROPERTY, value);
      } catch (ZfsException e) {
        failures.add(fs + ": " + e.getMessage());
      }
    }
  }

  /** Removes target {@code jobId}'s entry ({@code guarantee_nothing}). */
  static void forget(Zfs zfs, DatasetPath fs, String jobId) {
    synchronized (LOCK) {
      Map<String, Entry> now = new TreeMap<>(entriesNow(zfs, fs));
      if (now.remove(jobId) == null) {
        return;
      }
      write(zfs, fs, now, "removing " + jobId + "'s cursor (" + PROPERTY + ") from");
    }
  }

  private static void write(Zfs zfs, DatasetPath fs, Map<String, Entry> cursors, String what) {
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
