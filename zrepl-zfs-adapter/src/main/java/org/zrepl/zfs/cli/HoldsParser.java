package org.zrepl.zfs.cli;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** Parses {@code zfs holds -H <snapshot>}: {@code NAME<tab>TAG<tab>TIMESTAMP} per hold. */
final class HoldsParser {

  private HoldsParser() {}

  static Set<String> tags(String out) {
    Set<String> tags = new TreeSet<>();
    int lineNo = 0;
    for (String line : out.split("\n", -1)) {
      lineNo++;
      if (line.isEmpty()) {
        continue;
      }
      String[] cols = line.split("\t", -1);
      if (cols.length < 2 || cols[1].isEmpty()) {
        throw new IllegalArgumentException(
            "zfs holds output line " + lineNo + " has no tag column: '" + line + "'");
      }
      tags.add(cols[1]);
    }
    return Set.copyOf(tags);
  }

  /**
   * Parses {@code zfs holds -H fs@a fs@b ...}: the tags per snapshot name (relative to {@code fs});
   * every asked snapshot is a key, a line of a snapshot not asked for is refused.
   */
  static Map<String, Set<String>> bySnapshot(String fs, Collection<String> asked, String out) {
    Map<String, Set<String>> tags = new TreeMap<>();
    for (String s : asked) {
      tags.put(s, new TreeSet<>());
    }
    int lineNo = 0;
    for (String line : out.split("\n", -1)) {
      lineNo++;
      if (line.isEmpty()) {
        continue;
      }
      String[] cols = line.split("\t", -1);
      String prefix = fs + "@";
      if (cols.length < 2 || cols[1].isEmpty() || !cols[0].startsWith(prefix)) {
        throw new IllegalArgumentException(
            "zfs holds output line " + lineNo + " is not 'fs@snapshot<tab>tag': '" + line + "'");
      }
      Set<String> of = tags.get(cols[0].substring(prefix.length()));
      if (of == null) {
        throw new IllegalArgumentException(
            "zfs holds output line " + lineNo + " names a snapshot not asked for: '" + line + "'");
      }
      of.add(cols[1]);
    }
    Map<String, Set<String>> result = new TreeMap<>();
    tags.forEach((k, v) -> result.put(k, Set.copyOf(v)));
    return result;
  }
}
