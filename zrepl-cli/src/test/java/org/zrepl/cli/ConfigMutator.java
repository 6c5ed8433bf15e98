package org.zrepl.cli;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Breaks a valid configuration in one seeded, reproducible way: a required key deleted, a key
 * misspelt, a value of the wrong type, numbers, durations, sizes, regexes and cron expressions that
 * do not parse, wrong nesting, a duplicated key, a tab in the indentation, a truncated file, binary
 * garbage, deep nesting, huge values. Each mutation says whether the result must be refused (every
 * mutation of a key the loader reads must be) or may still be valid (a truncation at a clean line
 * boundary, say).
 */
final class ConfigMutator {

  /** One broken configuration. {@code mustFail}: the loader must refuse it. */
  @SuppressWarnings("ArrayRecordComponent") // the file's bytes as written; never compared
  record Mutant(String description, byte[] bytes, boolean mustFail) {}

  /** A key of the configuration and where it is, with its value. */
  private record Entry(String key, int line, int column, Node value, String parent) {}

  /** Maps whose keys are data (patterns, addresses, property names), not configuration keys. */
  private static final Set<String> DATA_MAPS =
      Set.of("filesystems", "mapping", "clients", "override");

  /** Keys that are required wherever the samples use them. */
  private static final Set<String> REQUIRED =
      Set.of(
          "name",
          "type",
          "connect",
          "serve",
          "snapshotting",
          "keep_sender",
          "keep_receiver",
          "prefix",
          "level",
          "format",
          "address",
          "listen",
          "count",
          "grid",
          "clients",
          "client_identities",
          "client_cns",
          "host",
          "user",
          "port",
          "identity_file",
          "listener_name",
          "client_identity",
          "cron",
          "server_cn");

  private static final Set<String> INTEGERS = Set.of("count", "port", "steps", "size_estimates");
  private static final Set<String> DURATIONS =
      Set.of("interval", "dial_timeout", "retry_interval", "timeout", "handshake_timeout");
  private static final Set<String> SIZES = Set.of("max", "bucket_capacity");
  private static final Set<String> REGEXES = Set.of("regex", "rollback_receiver_snapshots");

  private final String name;
  private final String text;
  private final List<String> lines;
  private final List<Entry> entries = new ArrayList<>();
  private final Random random;

  ConfigMutator(String name, String text, Random random) {
    this.name = name;
    this.text = text;
    this.lines = List.of(text.split("\n", -1));
    this.random = random;
    collect(new Yaml().compose(new StringReader(text)), "");
  }

  private void collect(Node node, String parent) {
    if (node instanceof MappingNode m) {
      for (NodeTuple t : m.getValue()) {
        if (t.getKeyNode() instanceof ScalarNode k && !t.getKeyNode().getTag().equals(Tag.MERGE)) {
          entries.add(
              new Entry(
                  k.getValue(),
                  k.getStartMark().getLine(),
                  k.getStartMark().getColumn(),
                  t.getValueNode(),
                  parent));
          if (!DATA_MAPS.contains(k.getValue())) {
            collect(t.getValueNode(), k.getValue());
          }
        }
      }
    } else if (node instanceof SequenceNode s) {
      for (Node n : s.getValue()) {
        collect(n, parent);
      }
    }
  }

  /** The configuration keys (not data patterns), or those named in {@code only}. */
  private List<Entry> keys(Set<String> only) {
    return entries.stream()
        .filter(e -> !DATA_MAPS.contains(e.parent))
        .filter(e -> only == null || only.contains(e.key))
        .toList();
  }

  private <T> T pick(List<T> from) {
    return from.get(random.nextInt(from.size()));
  }

  private static final List<String> KINDS =
      List.of(
          "delete-required-key",
          "misspell-key",
          "wrong-type",
          "bad-integer",
          "bad-duration",
          "bad-size",
          "bad-regex",
          "bad-cron",
          "wrong-nesting",
          "duplicate-key",
          "tab-indent",
          "truncate",
          "binary-garbage",
          "deep-nesting",
          "huge-value",
          "not-a-mapping");

  /** One mutant, or null if this configuration has nothing the chosen kind can break. */
  Mutant next() {
    String kind = pick(KINDS);
    return switch (kind) {
      case "delete-required-key" -> deleteKey(kind);
      case "misspell-key" -> misspell(kind);
      case "wrong-type" -> wrongType(kind);
      case "bad-integer" ->
          replaceValue(
              kind, INTEGERS, List.of("0", "-3", "99999999999999999999", "1.5", "ten", "0x1F"));
      case "bad-duration" ->
          replaceValue(
              kind, DURATIONS, List.of("10 minutes", "-1s", "1y", "'10'", "1.5.2s", "0x10s", "s"));
      case "bad-size" ->
          replaceValue(kind, SIZES, List.of("10 Mbit", "lots", "1.5 bit", "'-'", "12 XB", "0 B"));
      case "bad-regex" ->
          replaceValue(kind, REGEXES, List.of("'(unclosed'", "'[z-a]'", "'*x'", "'(?P<n>a)'"));
      case "bad-cron" ->
          replaceValue(
              kind, Set.of("cron"), List.of("'61 * * * *'", "'@daily'", "'* * *'", "'a b c d e'"));
      case "wrong-nesting" -> nesting(kind);
      case "duplicate-key" -> duplicate(kind);
      case "tab-indent" -> tab(kind);
      case "truncate" -> truncate(kind);
      case "binary-garbage" -> garbage(kind);
      case "deep-nesting" -> deep(kind);
      case "huge-value" -> huge(kind);
      default -> notAMapping(kind);
    };
  }

  /** The lines of an entry: its key line and the more indented lines after it. */
  private int blockEnd(Entry e) {
    int end = e.line + 1;
    while (end < lines.size()) {
      String l = lines.get(end);
      boolean inside =
          l.isBlank()
              || l.strip().startsWith("#")
              || indent(l) > e.column
              // "key:" followed by list items at the key's own indentation
              || (indent(l) == e.column
                  && l.strip().startsWith("- ")
                  && !(e.value instanceof ScalarNode));
      if (!inside) {
        break;
      }
      end++;
    }
    return end;
  }

  private static int indent(String l) {
    int i = 0;
    while (i < l.length() && l.charAt(i) == ' ') {
      i++;
    }
    return i;
  }

  private Mutant mutant(String kind, String what, List<String> newLines, boolean mustFail) {
    return mutant(kind, what, String.join("\n", newLines), mustFail);
  }

  private Mutant mutant(String kind, String what, String newText, boolean mustFail) {
    return new Mutant(
        kind + " " + name + ": " + what, newText.getBytes(StandardCharsets.UTF_8), mustFail);
  }

  private Mutant deleteKey(String kind) {
    List<Entry> candidates =
        keys(REQUIRED).stream()
            .filter(e -> !e.parent.equals("global")) // global.serve is optional
            .filter(e -> !lines.get(e.line).contains("{")) // a block entry, on its own lines
            .filter(e -> lines.get(e.line).strip().startsWith(e.key + ":"))
            .toList();
    if (candidates.isEmpty()) {
      return null;
    }
    Entry e = pick(candidates);
    List<String> out = new ArrayList<>(lines);
    out.subList(e.line, blockEnd(e)).clear();
    return mutant(kind, "deleted '" + e.key + "' (line " + (e.line + 1) + ")", out, true);
  }

  private String misspelling(String key) {
    int i = random.nextInt(key.length());
    return switch (random.nextInt(3)) {
      case 0 -> key.substring(0, i) + key.substring(i + 1) + (key.length() == 1 ? "x" : "");
      case 1 -> key.substring(0, i) + key.charAt(i) + key.substring(i);
      default -> key + "s";
    };
  }

  private Mutant misspell(String kind) {
    List<Entry> candidates = keys(null);
    Entry e = pick(candidates);
    String wrong = misspelling(e.key);
    if (wrong.equals(e.key)) {
      return null;
    }
    List<String> out = new ArrayList<>(lines);
    String l = out.get(e.line);
    out.set(
        e.line,
        l.substring(0, e.column)
            + l.substring(e.column)
                .replaceFirst(
                    java.util.regex.Pattern.quote(e.key),
                    java.util.regex.Matcher.quoteReplacement(wrong)));
    return mutant(
        kind, "'" + e.key + "' spelt '" + wrong + "' (line " + (e.line + 1) + ")", out, true);
  }

  /** Replaces a scalar value (written on its key's line) by {@code replacement}. */
  private Mutant replaceScalar(String kind, Entry e, String replacement, boolean mustFail) {
    ScalarNode v = (ScalarNode) e.value;
    int line = v.getStartMark().getLine();
    if (line != e.line || v.getEndMark().getLine() != line) {
      return null;
    }
    List<String> out = new ArrayList<>(lines);
    String l = out.get(line);
    out.set(
        line,
        l.substring(0, v.getStartMark().getColumn())
            + replacement
            + l.substring(v.getEndMark().getColumn()));
    return mutant(
        kind,
        "'" + e.key + "' = " + abbreviate(replacement) + " (line " + (line + 1) + ")",
        out,
        mustFail);
  }

  private List<Entry> scalars(Set<String> only) {
    return keys(only).stream()
        .filter(e -> e.value instanceof ScalarNode s && !s.getTag().equals(Tag.NULL))
        .toList();
  }

  private Mutant replaceValue(String kind, Set<String> keys, List<String> values) {
    List<Entry> candidates = scalars(keys);
    if (candidates.isEmpty()) {
      return null;
    }
    return replaceScalar(kind, pick(candidates), pick(values), true);
  }

  private Mutant wrongType(String kind) {
    List<Entry> candidates = scalars(null).stream().filter(e -> !e.key.equals("include")).toList();
    if (candidates.isEmpty()) {
      return null;
    }
    return replaceScalar(
        kind, pick(candidates), pick(List.of("{x: 1}", "[1, 2]", "[]", "{}")), true);
  }

  private Mutant nesting(String kind) {
    List<Entry> candidates =
        keys(null).stream().filter(e -> lines.get(e.line).strip().startsWith(e.key + ":")).toList();
    Entry e = pick(candidates);
    List<String> out = new ArrayList<>(lines);
    String l = out.get(e.line);
    boolean deeper = random.nextBoolean() || e.column < 2;
    out.set(e.line, deeper ? "    " + l : l.substring(2));
    return mutant(
        kind,
        "'" + e.key + "' moved " + (deeper ? "in" : "out") + " (line " + (e.line + 1) + ")",
        out,
        false);
  }

  private Mutant duplicate(String kind) {
    List<Entry> candidates =
        entries.stream()
            .filter(e -> lines.get(e.line).strip().startsWith(e.key + ":"))
            .filter(e -> e.value.getEndMark().getLine() <= blockEnd(e))
            .toList();
    if (candidates.isEmpty()) {
      return null;
    }
    Entry e = pick(candidates);
    int end = blockEnd(e);
    List<String> out = new ArrayList<>(lines);
    List<String> block = new ArrayList<>(lines.subList(e.line, end));
    String first = block.get(0);
    // keep the duplicate in the same mapping: strip a list item's dash
    int dash = first.indexOf("- ");
    if (dash >= 0 && dash < e.column) {
      block.set(0, " ".repeat(e.column) + first.substring(e.column));
    }
    out.addAll(end, block);
    return mutant(kind, "'" + e.key + "' given twice (line " + (e.line + 1) + ")", out, true);
  }

  private Mutant tab(String kind) {
    List<Integer> indented = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i);
      if (indent(l) > 0 && !l.isBlank() && !l.strip().startsWith("#")) {
        indented.add(i);
      }
    }
    if (indented.isEmpty()) {
      return null;
    }
    int i = pick(indented);
    List<String> out = new ArrayList<>(lines);
    out.set(i, "\t" + out.get(i).substring(Math.min(2, indent(out.get(i)))));
    return mutant(kind, "a tab indents line " + (i + 1), out, true);
  }

  private Mutant truncate(String kind) {
    int at = 1 + random.nextInt(Math.max(1, text.length() - 1));
    return mutant(kind, "cut after " + at + " characters", text.substring(0, at), false);
  }

  private Mutant garbage(String kind) {
    byte[] original = text.getBytes(StandardCharsets.UTF_8);
    byte[] junk = new byte[1 + random.nextInt(64)];
    random.nextBytes(junk);
    junk[0] = (byte) (0x80 | random.nextInt(0x80)); // never valid as the first byte of UTF-8
    int at = random.nextInt(original.length + 1);
    byte[] out = new byte[original.length + junk.length];
    System.arraycopy(original, 0, out, 0, at);
    System.arraycopy(junk, 0, out, at, junk.length);
    System.arraycopy(original, at, out, at + junk.length, original.length - at);
    return new Mutant(
        kind + " " + name + ": " + junk.length + " random bytes at byte " + at, out, true);
  }

  private Mutant deep(String kind) {
    List<Entry> candidates = scalars(null);
    if (candidates.isEmpty()) {
      return null;
    }
    int depth = 100 + random.nextInt(5000);
    String value =
        random.nextBoolean()
            ? "[".repeat(depth) + "]".repeat(depth)
            : "{a: ".repeat(depth) + "1" + "}".repeat(depth);
    return replaceScalar(kind, pick(candidates), value, true);
  }

  private Mutant huge(String kind) {
    List<Entry> candidates = scalars(null);
    if (candidates.isEmpty()) {
      return null;
    }
    Entry e = pick(candidates);
    String value = random.nextBoolean() ? "x".repeat(1 << 20) : "9".repeat(1000);
    // a huge value where a word, number or name is expected must be refused; paths, host names
    // and regexes (1000 nines is one) may be any length here
    boolean mustFail =
        !REGEXES.contains(e.key)
            && !Set.of(
                    "path",
                    "sockpath",
                    "sockdir",
                    "identity_file",
                    "ca",
                    "cert",
                    "key",
                    "host",
                    "user",
                    "server_cn",
                    "listener_name",
                    "dsn")
                .contains(e.key);
    return replaceScalar(kind, e, value, mustFail);
  }

  private Mutant notAMapping(String kind) {
    String out =
        switch (random.nextInt(4)) {
          case 0 -> "- " + String.join("\n  ", lines);
          case 1 -> "just a string\n";
          case 2 -> "42\n";
          default -> "jobs: " + pick(List.of("7", "{a: b}", "x", "[1, 2]")) + "\n";
        };
    return mutant(kind, "not a configuration mapping", out, true);
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 37) + "... (" + s.length() + " characters)";
  }
}
