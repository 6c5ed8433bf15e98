package org.zrepl.app.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.yaml.snakeyaml.nodes.Node;
import org.zrepl.domain.prune.KeepRule;
import org.zrepl.domain.prune.RetentionGrid;

/** {@code pruning}: lists of keep rules. */
final class PruningParser {

  static final List<String> RULE_TYPES = List.of("grid", "last_n", "regex", "not_replicated");

  /** {@code not_replicated.targets}: whether to wait for every target of the sender. */
  private static final Map<String, Boolean> TARGETS = targets();

  private static Map<String, Boolean> targets() {
    Map<String, Boolean> m = new LinkedHashMap<>();
    m.put("this_job", false);
    m.put("all", true);
    return Collections.unmodifiableMap(m);
  }

  /** Which list is being read; {@code not_replicated} only makes sense on a sender. */
  enum Side {
    SENDER("keep_sender"),
    RECEIVER("keep_receiver"),
    SNAP("keep"),
    /** A source job's own pruning: it is the sender, so every rule makes sense. */
    SOURCE("keep");

    final String key;

    Side(String key) {
      this.key = key;
    }
  }

  private PruningParser() {}

  /** {@code keep_sender} and {@code keep_receiver}, both required. */
  static Job.Pruning senderReceiver(Node node, Problems p) {
    YamlMap m = YamlMap.of(node, "pruning", p);
    if (m == null) {
      return null;
    }
    List<KeepRule> sender = rules(m.require(Side.SENDER.key), Side.SENDER, p);
    List<KeepRule> receiver = rules(m.require(Side.RECEIVER.key), Side.RECEIVER, p);
    m.finish();
    return sender == null || receiver == null ? null : new Job.Pruning(sender, receiver);
  }

  /** A snap job's {@code keep}. */
  static List<KeepRule> local(Node node, Problems p) {
    YamlMap m = YamlMap.of(node, "pruning", p);
    if (m == null) {
      return null;
    }
    List<KeepRule> keep = rules(m.require(Side.SNAP.key), Side.SNAP, p);
    m.finish();
    return keep;
  }

  /** A source job's optional {@code keep} (this implementation's addition). */
  static List<KeepRule> source(Node node, Problems p) {
    YamlMap m = YamlMap.of(node, "pruning", p);
    if (m == null) {
      return null;
    }
    List<KeepRule> keep = rules(m.require(Side.SOURCE.key), Side.SOURCE, p);
    m.finish();
    return keep;
  }

  private static List<KeepRule> rules(Node node, Side side, Problems p) {
    if (node == null) {
      return null;
    }
    List<Node> items = ValueReads.list(node, side.key, p);
    if (items == null) {
      return null;
    }
    List<KeepRule> out = new ArrayList<>();
    for (Node item : items) {
      out.add(rule(item, side, p));
    }
    return out.contains(null) ? null : out;
  }

  private static KeepRule rule(Node node, Side side, Problems p) {
    YamlMap m = YamlMap.of(node, "keep rule", p);
    if (m == null) {
      return null;
    }
    String type = m.type(RULE_TYPES);
    if (type == null) {
      return null;
    }
    int before = p.count();
    KeepRule rule = null;
    try {
      switch (type) {
        case "not_replicated" -> {
          Boolean atCursor =
              ValueReads.bool(m.get("keep_snapshot_at_cursor"), "keep_snapshot_at_cursor", true, p);
          // ours: 'targets: all' waits for every target of the sender (fan-out), zrepl's meaning
          // ('this_job', the default) for this job's cursor only
          Node targetsNode = m.get("targets");
          Boolean everyTarget =
              targetsNode == null
                  ? Boolean.FALSE
                  : ValueReads.oneOf(targetsNode, "targets", TARGETS, p);
          if (side == Side.SNAP) {
            p.error(m.get("type"), "keep rule 'not_replicated' is not allowed in a snap job");
          } else if (side == Side.RECEIVER) {
            p.error(
                m.get("type"),
                "keep rule 'not_replicated' is only allowed in keep_sender, not keep_receiver");
          }
          if (p.count() == before) {
            rule = new KeepRule.KeepNotReplicated(atCursor, everyTarget);
          }
        }
        case "last_n" -> {
          Node countNode = m.require("count");
          Long count = ValueReads.integer(countNode, "count", p);
          if (count != null && (count < 1 || count > Integer.MAX_VALUE)) {
            p.error(countNode, "'count' must be positive, got " + count);
          }
          Node regexNode = m.get("regex");
          Pattern regex = regexNode == null ? null : regex(regexNode, p);
          if (p.count() == before) {
            rule = new KeepRule.KeepLastN(count.intValue(), Optional.ofNullable(regex));
          }
        }
        case "grid" -> {
          RetentionGrid grid =
              ValueReads.parsed(m.require("grid"), "grid", RetentionGrid::parse, p);
          Pattern regex = regex(m.require("regex"), p);
          if (p.count() == before) {
            rule = new KeepRule.KeepGrid(grid, regex);
          }
        }
        default -> {
          Pattern regex = regex(m.require("regex"), p);
          Boolean negate = ValueReads.bool(m.get("negate"), "negate", false, p);
          if (p.count() == before) {
            rule = new KeepRule.KeepRegex(regex, negate);
          }
        }
      }
    } catch (IllegalArgumentException e) {
      p.error(m.node(), "invalid " + type + " keep rule: " + e.getMessage());
    }
    m.finish();
    return rule;
  }

  /** Compiles a regex. Java's syntax differs from Go's RE2 in corners; see the reference. */
  static Pattern regex(Node node, Problems p) {
    String s = ValueReads.string(node, "regex", p);
    if (s == null) {
      return null;
    }
    if (s.contains("[[:") || s.contains("[^[:")) {
      // RE2 reads [[:digit:]] as a POSIX class; Java silently reads it as a set of characters.
      p.error(
          node,
          "invalid 'regex' '"
              + s
              + "': POSIX classes such as [[:digit:]] are not supported, use \\p{Digit} or \\d");
      return null;
    }
    try {
      return Pattern.compile(s);
    } catch (PatternSyntaxException e) {
      p.error(node, "invalid 'regex' '" + s + "': " + e.getDescription());
      return null;
    }
  }
}
