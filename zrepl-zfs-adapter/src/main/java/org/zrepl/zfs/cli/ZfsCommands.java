package org.zrepl.zfs.cli;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.port.zfs.ReceiveOptions;
import org.zrepl.port.zfs.SendFlag;
import org.zrepl.port.zfs.SendRequest;

/**
 * The command lines {@link CliZfs} runs, built from validated input. Pure. Arguments that ZFS would
 * read as options (a leading {@code -}) or that would change the command's meaning (a comma inside
 * a snapshot name given to a batch destroy) are rejected here.
 */
final class ZfsCommands {

  /** Longest argv for one batched destroy; Linux allows much more, but a shell over ssh may not. */
  static final int MAX_BATCH_CHARS = 32 * 1024;

  private static final Pattern PROPERTY = Pattern.compile("[A-Za-z][A-Za-z0-9:._@+-]*");
  private static final Pattern VERSION_NAME = Pattern.compile("[A-Za-z0-9_:. -]+");

  private ZfsCommands() {}

  static List<String> listDatasets(
      ZfsDialect d, Collection<DatasetPath> roots, Collection<String> properties) {
    List<String> argv = new ArrayList<>(List.of("zfs", "get", "-Hp", "-r"));
    if (d.getTypeFilter()) {
      argv.addAll(List.of("-t", "filesystem,volume"));
    }
    Set<String> props = new LinkedHashSet<>();
    props.add(Listings.TYPE);
    props.addAll(new TreeSet<>(properties));
    props.forEach(ZfsCommands::checkProperty);
    argv.addAll(List.of("-o", "name,property,value,source", String.join(",", props)));
    new TreeSet<>(roots).forEach(r -> argv.add(r.toString()));
    return argv;
  }

  /**
   * One {@code zfs get -r} of the datasets' {@code type} and {@code properties} and of every
   * snapshot's guid, createtxg, creation and {@code snapshotProperties}, for a ZFS whose {@code zfs
   * get} has no {@code -t} (it prints every snapshot's rows in any case).
   */
  static List<String> listDatasetsWithVersions(
      ZfsDialect d,
      Collection<DatasetPath> roots,
      Collection<String> properties,
      Collection<String> snapshotProperties) {
    if (d.getTypeFilter()) {
      throw new IllegalArgumentException(
          "a ZFS with zfs get -t lists datasets without their snapshots");
    }
    List<String> argv = new ArrayList<>(List.of("zfs", "get", "-Hp", "-r"));
    Set<String> props = new LinkedHashSet<>();
    props.add(Listings.TYPE);
    props.addAll(Listings.VERSION_PROPERTIES);
    props.addAll(new TreeSet<>(properties));
    props.addAll(new TreeSet<>(snapshotProperties));
    props.forEach(ZfsCommands::checkProperty);
    argv.addAll(List.of("-o", "name,property,value,source", String.join(",", props)));
    new TreeSet<>(roots).forEach(r -> argv.add(r.toString()));
    return argv;
  }

  static List<String> listVersions(ZfsDialect d, Collection<DatasetPath> filesystems) {
    List<String> argv = new ArrayList<>(List.of("zfs", "get", "-Hp", "-d", "1"));
    if (d.getTypeFilter()) {
      argv.addAll(List.of("-t", "snapshot,bookmark"));
    }
    argv.addAll(
        List.of("-o", "name,property,value", String.join(",", Listings.VERSION_PROPERTIES)));
    new TreeSet<>(filesystems).forEach(f -> argv.add(f.toString()));
    return argv;
  }

  /**
   * {@code zfs get -d 1} of the versions' guid, createtxg and creation and of {@code properties},
   * with the source column: rows of the filesystems themselves (where {@code -t} exists it lists
   * them too), of their children (ignored) and of their snapshots and bookmarks.
   */
  static List<String> listVersions(
      ZfsDialect d, Collection<DatasetPath> filesystems, Collection<String> properties) {
    List<String> argv = new ArrayList<>(List.of("zfs", "get", "-Hp", "-d", "1"));
    if (d.getTypeFilter()) {
      argv.addAll(List.of("-t", "filesystem,volume,snapshot,bookmark"));
    }
    Set<String> props = new LinkedHashSet<>(Listings.VERSION_PROPERTIES);
    props.addAll(new TreeSet<>(properties));
    props.forEach(ZfsCommands::checkProperty);
    argv.addAll(List.of("-o", "name,property,value,source", String.join(",", props)));
    new TreeSet<>(filesystems).forEach(f -> argv.add(f.toString()));
    return argv;
  }

  static List<String> snapshot(Collection<DatasetPath> filesystems, String name) {
    checkVersionName(name);
    List<String> argv = new ArrayList<>(List.of("zfs", "snapshot"));
    new TreeSet<>(filesystems).forEach(f -> argv.add(f + "@" + name));
    return argv;
  }

  /** {@code zfs destroy fs@a,b,c}, split into several commands if the list is very long. */
  static List<List<String>> destroySnapshotsBatched(DatasetPath fs, Collection<String> names) {
    List<List<String>> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String n : new TreeSet<>(names)) {
      checkVersionName(n);
      if (current.length() > 0 && current.length() + n.length() + 1 > MAX_BATCH_CHARS) {
        out.add(List.of("zfs", "destroy", fs + "@" + current));
        current.setLength(0);
      }
      current.append(current.length() == 0 ? "" : ",").append(n);
    }
    if (current.length() > 0) {
      out.add(List.of("zfs", "destroy", fs + "@" + current));
    }
    return out;
  }

  static List<String> destroy(String fullName, boolean recursive) {
    return recursive
        ? List.of("zfs", "destroy", "-r", fullName)
        : List.of("zfs", "destroy", fullName);
  }

  static String snapshotName(DatasetPath fs, String name) {
    checkVersionName(name);
    return fs + "@" + name;
  }

  static String bookmarkName(DatasetPath fs, String name) {
    checkVersionName(name);
    return fs + "#" + name;
  }

  static List<String> send(SendRequest r) {
    List<String> argv = new ArrayList<>(List.of("zfs", "send"));
    if (r.resumeToken().isPresent()) {
      // The token records the original flags; zfs send -t accepts none of them.
      String token = r.resumeToken().get();
      if (token.isEmpty() || token.startsWith("-") || token.matches(".*\\s.*")) {
        throw new IllegalArgumentException("malformed resume token '" + token + "'");
      }
      argv.addAll(List.of("-t", token));
      return argv;
    }
    for (SendFlag f : SendFlag.values()) {
      if (r.flags().contains(f)) {
        argv.add(f.option());
      }
    }
    r.from()
        .ifPresent(
            from -> {
              checkVersionName(from.substring(1));
              argv.add(r.intermediates() ? "-I" : "-i");
              argv.add(r.filesystem() + from);
            });
    argv.add(snapshotName(r.filesystem(), r.to().orElseThrow().substring(1)));
    return argv;
  }

  /** {@code zfs send -nvP ...}: the dry run that prints the size {@link #send} would write. */
  static List<String> sendEstimate(SendRequest r) {
    List<String> argv = new ArrayList<>(send(r));
    argv.add(2, "-nvP");
    return argv;
  }

  static List<String> receive(DatasetPath target, ReceiveOptions o) {
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
    new TreeMap<>(o.setProperties())
        .forEach(
            (k, v) -> {
              checkProperty(k);
              argv.addAll(List.of("-o", k + "=" + v));
            });
    new TreeSet<>(o.excludeProperties())
        .forEach(
            k -> {
              checkProperty(k);
              argv.addAll(List.of("-x", k));
            });
    argv.add(target.toString());
    return argv;
  }

  static List<String> create(DatasetPath path, Map<String, String> props, boolean parents) {
    List<String> argv = new ArrayList<>(List.of("zfs", "create"));
    if (parents) {
      argv.add("-p");
    }
    new TreeMap<>(props)
        .forEach(
            (k, v) -> {
              checkProperty(k);
              argv.addAll(List.of("-o", k + "=" + v));
            });
    argv.add(path.toString());
    return argv;
  }

  static List<String> get(String name, Collection<String> properties) {
    if (name.isEmpty() || name.startsWith("-")) {
      throw new IllegalArgumentException("dataset name must not be empty or start with '-'");
    }
    Set<String> props = new TreeSet<>(properties);
    props.forEach(ZfsCommands::checkProperty);
    return List.of(
        "zfs", "get", "-Hp", "-o", "name,property,value,source", String.join(",", props), name);
  }

  /** {@code zfs get props ds...}: one process for many datasets, none below them. */
  static List<String> get(Collection<DatasetPath> datasets, Collection<String> properties) {
    Set<String> props = new TreeSet<>(properties);
    props.forEach(ZfsCommands::checkProperty);
    List<String> argv =
        new ArrayList<>(
            List.of(
                "zfs", "get", "-Hp", "-o", "name,property,value,source", String.join(",", props)));
    datasets.forEach(d -> argv.add(d.toString()));
    return List.copyOf(argv);
  }

  static List<String> set(DatasetPath ds, String property, String value) {
    checkProperty(property);
    return List.of("zfs", "set", property + "=" + value, ds.toString());
  }

  /** {@code zfs set property=value ds...}: one process for many datasets. */
  static List<String> set(Collection<DatasetPath> datasets, String property, String value) {
    checkProperty(property);
    List<String> argv = new ArrayList<>(List.of("zfs", "set", property + "=" + value));
    datasets.forEach(d -> argv.add(d.toString()));
    return List.copyOf(argv);
  }

  static List<String> inherit(DatasetPath ds, String property) {
    checkProperty(property);
    return List.of("zfs", "inherit", property, ds.toString());
  }

  static List<String> hold(String verb, DatasetPath fs, String snapshot, String tag) {
    if (tag.isEmpty() || tag.startsWith("-") || tag.indexOf(',') >= 0) {
      throw new IllegalArgumentException(
          "hold tag must be non-empty, not start with '-' and contain no ',', got '" + tag + "'");
    }
    return List.of("zfs", verb, tag, snapshotName(fs, snapshot));
  }

  static List<String> holds(DatasetPath fs, String snapshot) {
    return List.of("zfs", "holds", "-H", snapshotName(fs, snapshot));
  }

  /** {@code zfs holds -H fs@a fs@b ...}: the holds of many snapshots in one process. */
  static List<String> holds(DatasetPath fs, Collection<String> snapshots) {
    List<String> argv = new ArrayList<>(List.of("zfs", "holds", "-H"));
    for (String s : snapshots) {
      argv.add(snapshotName(fs, s));
    }
    return argv;
  }

  static List<String> bookmark(DatasetPath fs, String snapshot, String bookmark) {
    return List.of("zfs", "bookmark", snapshotName(fs, snapshot), bookmarkName(fs, bookmark));
  }

  static List<String> rollback(DatasetPath fs, String snapshot, boolean destroyLater) {
    List<String> argv = new ArrayList<>(List.of("zfs", "rollback"));
    if (destroyLater) {
      argv.add("-r");
    }
    argv.add(snapshotName(fs, snapshot));
    return argv;
  }

  static void checkProperty(String p) {
    if (p == null || !PROPERTY.matcher(p).matches()) {
      throw new IllegalArgumentException(
          "property name must start with a letter and contain no whitespace, ',' or '=', got '"
              + p
              + "'");
    }
  }

  static void checkVersionName(String n) {
    if (n == null || !VERSION_NAME.matcher(n).matches()) {
      throw new IllegalArgumentException(
          "snapshot/bookmark name must be non-empty and use only letters, digits and '_:. -',"
              + " got '"
              + n
              + "'");
    }
  }
}
