package org.zrepl.zfs.cli;

import java.util.Set;
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
}
