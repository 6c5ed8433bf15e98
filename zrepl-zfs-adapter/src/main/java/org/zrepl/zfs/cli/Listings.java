package org.zrepl.zfs.cli;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.zfs.DatasetInfo;
import org.zrepl.port.zfs.DatasetTree;
import org.zrepl.port.zfs.DatasetType;
import org.zrepl.port.zfs.Property;
import org.zrepl.port.zfs.VersionListing;

/** Turns parsed {@code zfs get} rows into the port's listings. Pure functions. */
final class Listings {

  static final String TYPE = "type";
  static final List<String> VERSION_PROPERTIES = List.of("guid", "createtxg", "creation");

  static final Comparator<FilesystemVersion> VERSION_ORDER =
      Comparator.comparingLong(FilesystemVersion::createTxg)
          .thenComparing(FilesystemVersion::kind)
          .thenComparing(FilesystemVersion::name);

  private Listings() {}

  /**
   * Filesystems and volumes among {@code rows} (snapshot and bookmark rows are dropped: zfs-fuse's
   * {@code zfs get} cannot filter by type), sorted by path, without duplicates (overlapping roots
   * list a dataset twice). Every dataset needs a {@code type} row; other properties are kept if
   * requested and set.
   */
  static List<DatasetInfo> datasets(List<GetRow> rows, Set<String> requested) {
    Map<String, String> types = new HashMap<>();
    Map<String, Map<String, Property>> props = new LinkedHashMap<>();
    for (GetRow r : rows) {
      if (isVersionName(r.name())) {
        continue;
      }
      props.computeIfAbsent(r.name(), k -> new HashMap<>());
      if (r.property().equals(TYPE)) {
        types.put(r.name(), r.value());
      }
      if (requested.contains(r.property()) && !r.isUnset()) {
        props.get(r.name()).put(r.property(), r.toProperty());
      }
    }
    TreeMap<DatasetPath, DatasetInfo> out = new TreeMap<>();
    for (Map.Entry<String, Map<String, Property>> e : props.entrySet()) {
      String type = types.get(e.getKey());
      if (type == null) {
        throw new IllegalArgumentException(
            "zfs get printed no type for dataset '" + e.getKey() + "'");
      }
      if (type.equals("snapshot") || type.equals("bookmark")) {
        continue;
      }
      DatasetPath path = DatasetPath.of(e.getKey());
      out.put(path, new DatasetInfo(path, DatasetType.fromZfs(type), e.getValue()));
    }
    return List.copyOf(out.values());
  }

  /**
   * Snapshots and bookmarks of each of {@code filesystems} among {@code rows} (which need guid,
   * createtxg and creation); rows of other datasets (the filesystem itself, its children, which
   * {@code zfs get -d 1} lists when it cannot filter by type) are ignored. Every requested
   * filesystem gets an entry, possibly empty.
   */
  static Map<DatasetPath, List<FilesystemVersion>> versions(
      List<GetRow> rows, Collection<DatasetPath> filesystems) {
    Map<String, Map<String, String>> byName = new LinkedHashMap<>();
    for (GetRow r : rows) {
      if (isVersionName(r.name())) {
        byName.computeIfAbsent(r.name(), k -> new HashMap<>()).put(r.property(), r.value());
      }
    }
    Map<DatasetPath, List<FilesystemVersion>> out = new LinkedHashMap<>();
    for (DatasetPath fs : filesystems) {
      out.put(fs, new ArrayList<>());
    }
    for (Map.Entry<String, Map<String, String>> e : byName.entrySet()) {
      String full = e.getKey();
      int at = delimiterIndex(full);
      DatasetPath fs = DatasetPath.of(full.substring(0, at));
      List<FilesystemVersion> list = out.get(fs);
      if (list != null) {
        list.add(version(full, at, e.getValue()));
      }
    }
    out.replaceAll(
        (fs, list) -> {
          list.sort(VERSION_ORDER);
          return List.copyOf(list);
        });
    return out;
  }

  /**
   * As {@link #versions}, with the {@code requested} properties of each filesystem (its own rows)
   * and of each of its snapshots; rows need the source column. Unset properties are absent.
   */
  static Map<DatasetPath, VersionListing> versionListings(
      List<GetRow> rows, Collection<DatasetPath> filesystems, Set<String> requested) {
    Map<DatasetPath, List<FilesystemVersion>> versions = versions(rows, filesystems);
    Map<DatasetPath, Map<String, Property>> own = new HashMap<>();
    Map<DatasetPath, Map<String, Map<String, Property>>> ofSnapshots = new HashMap<>();
    for (GetRow r : rows) {
      if (!requested.contains(r.property()) || r.isUnset()) {
        continue;
      }
      int at = r.name().indexOf('@');
      if (at < 0 && !isVersionName(r.name())) {
        DatasetPath fs = DatasetPath.of(r.name());
        if (versions.containsKey(fs)) {
          own.computeIfAbsent(fs, k -> new HashMap<>()).put(r.property(), r.toProperty());
        }
      } else if (at >= 0 && delimiterIndex(r.name()) == at) {
        DatasetPath fs = DatasetPath.of(r.name().substring(0, at));
        if (versions.containsKey(fs)) {
          ofSnapshots
              .computeIfAbsent(fs, k -> new HashMap<>())
              .computeIfAbsent(r.name().substring(at + 1), k -> new HashMap<>())
              .put(r.property(), r.toProperty());
        }
      }
    }
    Map<DatasetPath, VersionListing> out = new LinkedHashMap<>();
    versions.forEach(
        (fs, v) ->
            out.put(
                fs,
                new VersionListing(
                    v, own.getOrDefault(fs, Map.of()), ofSnapshots.getOrDefault(fs, Map.of()))));
    return out;
  }

  /**
   * The datasets among {@code rows} (as {@link #datasets}) with the versions of each (as {@link
   * #versionListings} with {@code snapshotProperties}): the rows of one {@code zfs get -r} that
   * printed snapshots too.
   */
  static DatasetTree datasetTree(
      List<GetRow> rows, Set<String> properties, Set<String> snapshotProperties) {
    List<DatasetInfo> datasets = datasets(rows, properties);
    return new DatasetTree(
        datasets,
        versionListings(
            rows, datasets.stream().map(DatasetInfo::path).toList(), snapshotProperties));
  }

  private static FilesystemVersion version(String full, int at, Map<String, String> values) {
    String name = full.substring(at + 1);
    FilesystemVersion.Kind kind =
        full.charAt(at) == '@' ? FilesystemVersion.Kind.SNAPSHOT : FilesystemVersion.Kind.BOOKMARK;
    try {
      long guid = Long.parseUnsignedLong(required(full, values, "guid"));
      long txg = Long.parseLong(required(full, values, "createtxg"));
      Instant creation = Instant.ofEpochSecond(Long.parseLong(required(full, values, "creation")));
      return new FilesystemVersion(name, kind, guid, txg, creation);
    } catch (NumberFormatException ex) {
      throw new IllegalArgumentException(
          "zfs get printed a non-numeric guid/createtxg/creation for '" + full + "': " + values,
          ex);
    }
  }

  private static String required(String full, Map<String, String> values, String property) {
    String v = values.get(property);
    if (v == null) {
      throw new IllegalArgumentException("zfs get printed no " + property + " for '" + full + "'");
    }
    return v;
  }

  static boolean isVersionName(String name) {
    return delimiterIndex(name) >= 0;
  }

  private static int delimiterIndex(String name) {
    int at = name.indexOf('@');
    int hash = name.indexOf('#');
    if (at < 0) {
      return hash;
    }
    return hash < 0 ? at : Math.min(at, hash);
  }
}
