package org.zrepl.app.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A YAML mapping being read by one section parser. Every key the parser asks for is remembered, so
 * that {@link #finish()} can report the keys nobody asked for, suggesting the closest known key.
 * Duplicate keys are reported when the map is opened.
 */
final class YamlMap {

  private final MappingNode node;
  private String what;
  private final Problems problems;
  private final Map<String, NodeTuple> entries = new LinkedHashMap<>();
  private final Set<String> asked = new LinkedHashSet<>();
  private final Set<String> missing = new LinkedHashSet<>();

  private YamlMap(MappingNode node, String what, Problems problems) {
    this.node = node;
    this.what = what;
    this.problems = problems;
    List<NodeTuple> merged = new ArrayList<>();
    for (NodeTuple t : node.getValue()) {
      if (t.getKeyNode().getTag().equals(Tag.MERGE)) {
        merged.addAll(mergeSource(t.getValueNode()));
        continue;
      }
      if (!(t.getKeyNode() instanceof ScalarNode key)) {
        problems.error(t.getKeyNode(), "keys of " + what + " must be strings");
        continue;
      }
      NodeTuple first = entries.putIfAbsent(key.getValue(), t);
      if (first != null) {
        problems.error(
            key,
            "duplicate key '"
                + key.getValue()
                + "' (first set on line "
                + (first.getKeyNode().getStartMark().getLine() + 1)
                + ")");
      }
    }
    // YAML merge keys (<<: *defaults): merged entries count unless the map sets the key itself.
    for (NodeTuple t : merged) {
      if (t.getKeyNode() instanceof ScalarNode key) {
        entries.putIfAbsent(key.getValue(), t);
      }
    }
  }

  /** The entries a {@code <<} key brings in: one mapping, or a list of them (first wins). */
  private List<NodeTuple> mergeSource(Node value) {
    List<NodeTuple> out = new ArrayList<>();
    if (value instanceof MappingNode m) {
      out.addAll(m.getValue());
    } else if (value instanceof SequenceNode seq) {
      for (Node n : seq.getValue()) {
        out.addAll(mergeSource(n));
      }
    } else {
      problems.error(value, "a merge key '<<' needs a mapping, got " + ValueReads.describe(value));
    }
    return out;
  }

  /** Opens {@code node} as a mapping, or reports that it is not one and returns null. */
  static YamlMap of(Node node, String what, Problems problems) {
    if (node instanceof MappingNode m) {
      return new YamlMap(m, what, problems);
    }
    problems.error(node, what + " must be a mapping, got " + ValueReads.describe(node));
    return null;
  }

  Node node() {
    return node;
  }

  String what() {
    return what;
  }

  Problems problems() {
    return problems;
  }

  /** The keys present, in file order. */
  Set<String> keys() {
    return java.util.Collections.unmodifiableSet(entries.keySet());
  }

  boolean has(String key) {
    asked.add(key);
    return entries.containsKey(key);
  }

  /** Names the section in messages from now on, e.g. once a job's name is known. */
  void describeAs(String what) {
    this.what = what;
  }

  /** The value of an optional key, or null if it is absent or has no value ({@code key: ~}). */
  Node get(String key) {
    asked.add(key);
    NodeTuple t = entries.get(key);
    return t == null || ValueReads.isNull(t.getValueNode()) ? null : t.getValueNode();
  }

  /** The key's own node (for positions), or null. */
  Node keyNode(String key) {
    NodeTuple t = entries.get(key);
    return t == null ? null : t.getKeyNode();
  }

  /**
   * The value of a required key, or null. An absent key is reported by {@link #finish()} (or {@link
   * #abandon()}), unless an unknown key there looks like a misspelling of it: then only the
   * misspelling is reported, with the suggestion.
   */
  Node require(String key) {
    Node n = get(key);
    if (n == null) {
      Node k = keyNode(key);
      if (k != null) {
        problems.error(k, "'" + key + "' in " + what + " needs a value");
      } else if (missing.add(key)) {
        problems.defer();
      }
    }
    return n;
  }

  /**
   * Reads the key named "type" of an enum-like section and returns it if it is one of {@code
   * types}; reports a missing or unknown type (with a suggestion) and returns null otherwise.
   */
  String type(java.util.Collection<String> types) {
    Node n = get("type");
    if (n == null) {
      problems.error(
          keyNode("type") != null ? keyNode("type") : node,
          "missing required key 'type' in " + what + " (one of " + String.join(", ", types) + ")");
      return null;
    }
    String t = ValueReads.string(n, "type", problems);
    if (t != null && !types.contains(t)) {
      problems.error(
          n,
          "unknown "
              + what
              + " type '"
              + t
              + "', expected one of "
              + String.join(", ", types)
              + Suggestions.didYouMean(t, types));
      return null;
    }
    return t;
  }

  /** Marks keys as known without reading them (e.g. the {@code type} of an enum section). */
  void known(String... keys) {
    asked.addAll(Set.of(keys));
  }

  /** Reports every key that no parser asked for, and every required key that is missing. */
  void finish() {
    for (Map.Entry<String, NodeTuple> e : entries.entrySet()) {
      if (!asked.contains(e.getKey())) {
        String suggestion = Suggestions.didYouMean(e.getKey(), asked);
        problems.error(
            e.getValue().getKeyNode(), "unknown key '" + e.getKey() + "' in " + what + suggestion);
        Suggestions.closest(e.getKey(), asked)
            .filter(missing::remove)
            .ifPresent(superseded -> problems.undefer());
      }
    }
    abandon();
  }

  /** Reports the missing required keys only (for a section whose type was not understood). */
  void abandon() {
    problems.knownKeys().read(node, java.util.Collections.unmodifiableSet(asked));
    for (String key : missing) {
      problems.error(node, "missing required key '" + key + "' in " + what);
      problems.undefer();
    }
    missing.clear();
  }
}
