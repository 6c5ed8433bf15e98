package org.zrepl.app.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.zrepl.domain.snapshot.Durations;

/**
 * Typed reads of single values. Each method reports a problem at the value's position and returns
 * null when the value has the wrong type or does not parse; {@code null} input (an absent optional
 * key) yields the given default without a report.
 */
final class ValueReads {

  private static final Set<String> TRUE = Set.of("true", "yes", "on");

  private ValueReads() {}

  static String describe(Node n) {
    if (n instanceof MappingNode) {
      return "a mapping";
    }
    if (n instanceof SequenceNode) {
      return "a list";
    }
    ScalarNode s = (ScalarNode) n;
    Tag tag = s.getTag();
    if (tag.equals(Tag.NULL)) {
      return "nothing";
    }
    if (tag.equals(Tag.BOOL)) {
      return "the boolean " + s.getValue();
    }
    if (tag.equals(Tag.INT) || tag.equals(Tag.FLOAT)) {
      return "the number " + s.getValue();
    }
    return "'" + s.getValue() + "'";
  }

  /** A non-empty scalar as text (numbers and booleans too, as zrepl's YAML library does). */
  static String string(Node n, String key, Problems p) {
    if (n == null) {
      return null;
    }
    if (n instanceof ScalarNode s && !s.getTag().equals(Tag.NULL)) {
      if (s.getValue().isEmpty()) {
        p.error(n, "'" + key + "' must not be empty");
        return null;
      }
      return s.getValue();
    }
    p.error(n, "'" + key + "' must be a string, got " + describe(n));
    return null;
  }

  static String string(Node n, String key, String dflt, Problems p) {
    return n == null ? dflt : string(n, key, p);
  }

  static Boolean bool(Node n, String key, boolean dflt, Problems p) {
    if (n == null) {
      return dflt;
    }
    if (n instanceof ScalarNode s && s.getTag().equals(Tag.BOOL)) {
      return TRUE.contains(s.getValue().toLowerCase(Locale.ROOT));
    }
    p.error(n, "'" + key + "' must be true or false, got " + describe(n));
    return null;
  }

  static Long integer(Node n, String key, Problems p) {
    if (n == null) {
      return null;
    }
    if (n instanceof ScalarNode s && s.getTag().equals(Tag.INT)) {
      try {
        return Long.parseLong(s.getValue().replace("_", ""));
      } catch (NumberFormatException e) {
        // falls through to the report below (hex, octal or out of range)
      }
    }
    p.error(n, "'" + key + "' must be an integer, got " + describe(n));
    return null;
  }

  /** A value parsed by {@code parser}, whose IllegalArgumentException becomes the report. */
  static <T> T parsed(Node n, String key, Function<String, T> parser, Problems p) {
    String s = string(n, key, p);
    if (s == null) {
      return null;
    }
    try {
      return parser.apply(s);
    } catch (IllegalArgumentException e) {
      p.error(n, "invalid '" + key + "': " + e.getMessage());
      return null;
    }
  }

  /** A duration in zrepl's syntax ({@code 10m}, {@code 1d}, ...). */
  static Duration duration(Node n, String key, Problems p) {
    return parsed(n, key, Durations::parse, p);
  }

  /** A duration in Go's time.ParseDuration syntax ({@code 10s}, {@code 1.5h}, {@code 300ms}). */
  static Duration goDuration(Node n, String key, Problems p) {
    return parsed(n, key, Durations::parseGo, p);
  }

  static Duration positiveGoDuration(Node n, String key, Duration dflt, Problems p) {
    if (n == null) {
      return dflt;
    }
    Duration d = goDuration(n, key, p);
    if (d != null && (d.isZero() || d.isNegative())) {
      p.error(n, "'" + key + "' must be positive, got '" + ((ScalarNode) n).getValue() + "'");
      return null;
    }
    return d;
  }

  static Duration positiveDuration(Node n, String key, Duration dflt, Problems p) {
    if (n == null) {
      return dflt;
    }
    Duration d = duration(n, key, p);
    if (d != null && (d.isZero() || d.isNegative())) {
      p.error(n, "'" + key + "' must be positive, got '" + ((ScalarNode) n).getValue() + "'");
      return null;
    }
    return d;
  }

  /** A Go duration that may be zero (zrepl's {@code zeropositive}). */
  static Duration nonNegativeGoDuration(Node n, String key, Duration dflt, Problems p) {
    if (n == null || isNull(n)) {
      return dflt;
    }
    Duration d = goDuration(n, key, p);
    if (d != null && d.isNegative()) {
      p.error(n, "'" + key + "' must not be negative, got '" + ((ScalarNode) n).getValue() + "'");
      return null;
    }
    return d;
  }

  /** One of a fixed set of words. */
  static <E> E oneOf(Node n, String key, Map<String, E> choices, Problems p) {
    String s = string(n, key, p);
    if (s == null) {
      return null;
    }
    E e = choices.get(s);
    if (e == null) {
      p.error(
          n,
          "'"
              + key
              + "' must be one of "
              + String.join(", ", choices.keySet())
              + ", got '"
              + s
              + "'"
              + Suggestions.didYouMean(s, choices.keySet()));
    }
    return e;
  }

  static boolean isNull(Node n) {
    return n instanceof ScalarNode s && s.getTag().equals(Tag.NULL);
  }

  /** A YAML list; an explicit null counts as empty. */
  static List<Node> list(Node n, String key, Problems p) {
    if (n == null || isNull(n)) {
      return List.of();
    }
    if (n instanceof SequenceNode s) {
      return s.getValue();
    }
    p.error(n, "'" + key + "' must be a list, got " + describe(n));
    return null;
  }

  static List<String> stringList(Node n, String key, Problems p) {
    List<Node> nodes = list(n, key, p);
    if (nodes == null) {
      return null;
    }
    List<String> out = new ArrayList<>();
    boolean ok = true;
    for (Node e : nodes) {
      String s = string(e, key + " entry", p);
      ok &= s != null;
      out.add(s);
    }
    return ok ? out : null;
  }

  /**
   * A mapping of strings to scalars, in file order, for filters and mappings. Returns the entries'
   * nodes, keyed by pattern, so that callers can point at one entry.
   */
  static Map<String, NodeTuple> scalarMap(Node n, String key, Problems p) {
    if (!(n instanceof MappingNode m)) {
      p.error(n, "'" + key + "' must be a mapping, got " + describe(n));
      return null;
    }
    Map<String, NodeTuple> out = new LinkedHashMap<>();
    boolean ok = true;
    for (NodeTuple t : m.getValue()) {
      String k = string(t.getKeyNode(), key + " pattern", p);
      Node v = t.getValueNode();
      if (!(v instanceof ScalarNode s) || s.getTag().equals(Tag.NULL)) {
        p.error(v, "value of '" + k + "' in '" + key + "' must be a scalar, got " + describe(v));
        ok = false;
        continue;
      }
      if (k == null) {
        ok = false;
      } else if (out.putIfAbsent(k, t) != null) {
        p.error(t.getKeyNode(), "duplicate key '" + k + "' in '" + key + "'");
        ok = false;
      }
    }
    return ok ? out : null;
  }

  static Map<String, String> values(Map<String, NodeTuple> nodes) {
    Map<String, String> out = new LinkedHashMap<>();
    nodes.forEach((k, t) -> out.put(k, ((ScalarNode) t.getValueNode()).getValue()));
    return out;
  }

  /**
   * Like {@link #values}, but YAML 1.1 booleans ({@code yes}, {@code off}, ...) become {@code
   * true}/{@code false}, as zrepl's filters are maps to booleans.
   */
  static Map<String, String> booleanValues(Map<String, NodeTuple> nodes) {
    Map<String, String> out = new LinkedHashMap<>();
    nodes.forEach(
        (k, t) -> {
          ScalarNode v = (ScalarNode) t.getValueNode();
          boolean bool = v.getTag().equals(Tag.BOOL);
          out.put(
              k,
              bool
                  ? String.valueOf(TRUE.contains(v.getValue().toLowerCase(Locale.ROOT)))
                  : v.getValue());
        });
    return out;
  }
}
