package org.zrepl.app.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The key tables of {@code docs/config-reference.md}, read as {@code ConfigReferenceTest} needs
 * them: each table preceded by {@code <!-- keys: PREFIX -->} lists keys (the first backticked word
 * of the {@code key} column) with a {@code status} (the last column). A key's id is the prefix,
 * with {@code {type}} replaced by the row's type (carried down from the row above when empty;
 * {@code all} becomes {@code *}), a dot and the key: {@code connect[tls].server_cn}, {@code
 * send.bandwidth_limit.max}; the prefix {@code .} is the top level.
 */
final class ReferenceKeys {

  enum Status {
    SUPPORTED,
    REFUSED,
    IGNORED,
    STRUCTURE
  }

  /** One documented key, and the reference line it is on (for messages). */
  record Key(String id, Status status, int line) {}

  static final Path ROOT = Path.of("..");
  static final Path REFERENCE = ROOT.resolve("docs/config-reference.md");
  static final Path DIFFERENCES = ROOT.resolve("docs/differences.md");

  private static final Pattern PREFIX = Pattern.compile("^<!-- keys: (\\S+) -->$");
  private static final Pattern BACKTICKED = Pattern.compile("`([^`]+)`");

  private ReferenceKeys() {}

  /** Every documented key by id, in reference order; throws on a malformed table. */
  static Map<String, Key> read() throws IOException {
    List<String> lines = Files.readAllLines(REFERENCE, StandardCharsets.UTF_8);
    Map<String, Key> out = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = PREFIX.matcher(lines.get(i));
      if (m.matches()) {
        table(lines, i + 1, m.group(1), out);
      }
    }
    return out;
  }

  private static void table(List<String> lines, int at, String prefix, Map<String, Key> out) {
    List<String> header = cells(lines.get(at));
    int keyColumn = header.indexOf("key");
    int statusColumn = header.size() - 1;
    if (keyColumn < 0 || !header.get(statusColumn).equals("status")) {
      throw new IllegalStateException(
          "reference line " + (at + 1) + ": a key table needs a 'key' and a last 'status' column");
    }
    boolean typed = prefix.contains("{type}");
    String type = null;
    for (int i = at + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
      List<String> row = cells(lines.get(i));
      if (typed && !row.get(0).isEmpty()) {
        type = typeOf(row.get(0));
      }
      Matcher key = BACKTICKED.matcher(row.get(keyColumn));
      if (!key.find()) {
        continue; // e.g. snapshotting 'manual', which has no keys
      }
      String status = row.get(statusColumn);
      Status s;
      try {
        s = Status.valueOf(status.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException(
            "reference line " + (i + 1) + ": unknown status '" + status + "'", e);
      }
      String base = typed ? prefix.replace("{type}", type) : prefix;
      String id = base.equals(".") ? key.group(1) : base + "." + key.group(1);
      if (out.putIfAbsent(id, new Key(id, s, i + 1)) != null) {
        throw new IllegalStateException("reference line " + (i + 1) + ": '" + id + "' twice");
      }
    }
  }

  private static String typeOf(String cell) {
    if (cell.equals("all")) {
      return "*";
    }
    Matcher m = BACKTICKED.matcher(cell);
    return m.find() ? m.group(1) : cell;
  }

  /** The cells of a table row, trimmed; {@code \|} inside a cell is not a separator. */
  private static List<String> cells(String row) {
    List<String> out = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    String inner = row.substring(1, row.lastIndexOf('|'));
    for (int i = 0; i < inner.length(); i++) {
      char c = inner.charAt(i);
      if (c == '\\' && i + 1 < inner.length() && inner.charAt(i + 1) == '|') {
        cell.append('|');
        i++;
      } else if (c == '|') {
        out.add(cell.toString().trim());
        cell.setLength(0);
      } else {
        cell.append(c);
      }
    }
    out.add(cell.toString().trim());
    return out;
  }
}
