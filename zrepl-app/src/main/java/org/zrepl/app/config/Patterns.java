package org.zrepl.app.config;

import java.util.Map;
import java.util.function.Function;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;

/** Builds filters and mappings, pointing the domain's complaints at the entry that caused them. */
final class Patterns {

  private Patterns() {}

  static <T> T build(
      Map<String, NodeTuple> entries,
      Node whole,
      Function<Map<String, String>, T> factory,
      Problems p) {
    try {
      return factory.apply(Read.values(entries));
    } catch (IllegalArgumentException wholeFailed) {
      // Find the entry the domain objects to, so that the caret points at it.
      for (Map.Entry<String, NodeTuple> e : entries.entrySet()) {
        try {
          factory.apply(Read.values(Map.of(e.getKey(), e.getValue())));
        } catch (IllegalArgumentException entryFailed) {
          p.error(e.getValue().getKeyNode(), entryFailed.getMessage());
          return null;
        }
      }
      p.error(whole, wholeFailed.getMessage());
      return null;
    }
  }
}
