package org.zrepl.zfs.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.zrepl.port.zfs.Property;

/**
 * Parses the output of {@code zfs get -H -p -o name,property,value[,source]}: one row per line,
 * columns separated by a tab. Names, property names and sources contain no tabs, but a user
 * property's value may, so the value is whatever lies between the second tab and the last column.
 */
final class ZfsGetParser {

  private ZfsGetParser() {}

  /** Parses {@code out}; {@code withSource} tells whether the fourth column was requested. */
  static List<GetRow> parse(String out, boolean withSource) {
    List<GetRow> rows = new ArrayList<>();
    int lineNo = 0;
    for (String line : out.split("\n", -1)) {
      lineNo++;
      if (line.isEmpty()) {
        continue;
      }
      rows.add(parseLine(line, lineNo, withSource));
    }
    return rows;
  }

  private static GetRow parseLine(String line, int lineNo, boolean withSource) {
    int t1 = line.indexOf('\t');
    int t2 = t1 < 0 ? -1 : line.indexOf('\t', t1 + 1);
    int tLast = withSource ? line.lastIndexOf('\t') : line.length();
    if (t1 <= 0 || t2 < 0 || tLast < t2 || (withSource && tLast == t2)) {
      throw new IllegalArgumentException(
          "zfs get output line "
              + lineNo
              + " has fewer than "
              + (withSource ? 4 : 3)
              + " tab-separated columns: '"
              + line
              + "'");
    }
    String name = line.substring(0, t1);
    String property = line.substring(t1 + 1, t2);
    String value = line.substring(t2 + 1, tLast);
    Optional<Property.Source> source =
        withSource ? Optional.of(parseSource(line.substring(tLast + 1))) : Optional.empty();
    return new GetRow(name, property, value, source);
  }

  /**
   * The SOURCE column: {@code local}, {@code default}, {@code -}, {@code inherited from <name>},
   * {@code received}, {@code temporary}.
   */
  static Property.Source parseSource(String s) {
    if (s.startsWith("inherited from ")) {
      return Property.Source.INHERITED;
    }
    return switch (s) {
      case "local" -> Property.Source.LOCAL;
      case "default" -> Property.Source.DEFAULT;
      case "received" -> Property.Source.RECEIVED;
      case "temporary" -> Property.Source.TEMPORARY;
      case "-", "none" -> Property.Source.NONE;
      default -> throw new IllegalArgumentException("unknown property source '" + s + "'");
    };
  }
}
