package org.zrepl.domain.dataset;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;

/**
 * The matcher shared by {@link DatasetFilter} and {@link DatasetMapping}: an ordered table of
 * patterns with a value each. For a dataset, an exact pattern naming it wins; otherwise the longest
 * subtree pattern that contains it; otherwise nothing matches. Patterns are unique, so the winner
 * is never ambiguous and the table's order does not affect the result.
 */
final class PatternTable<V> {

  /** One row: a pattern and the value it assigns. */
  record Rule<V>(DatasetPattern pattern, V value) {
    Rule {
      Objects.requireNonNull(pattern, "pattern");
      Objects.requireNonNull(value, "value");
    }
  }

  private final List<Rule<V>> rules;

  private PatternTable(List<Rule<V>> rules) {
    this.rules = List.copyOf(rules);
  }

  /**
   * Parses every pattern and value. {@code parseValue} receives the pattern text and the raw value
   * and throws {@link IllegalArgumentException} quoting both for a bad value.
   */
  static <V> PatternTable<V> parse(
      List<? extends Map.Entry<String, String>> entries, BiFunction<String, String, V> parseValue) {
    List<Rule<V>> rules = new ArrayList<>(entries.size());
    Set<String> seen = new HashSet<>();
    for (Map.Entry<String, String> e : entries) {
      DatasetPattern pattern = DatasetPattern.parse(e.getKey());
      if (!seen.add(pattern.text())) {
        throw new IllegalArgumentException(
            "invalid filesystem pattern '" + pattern.text() + "': duplicate pattern");
      }
      rules.add(new Rule<>(pattern, parseValue.apply(pattern.text(), e.getValue())));
    }
    return new PatternTable<>(rules);
  }

  <W> PatternTable<W> mapValues(BiFunction<DatasetPattern, V, W> f) {
    List<Rule<W>> out = new ArrayList<>(rules.size());
    for (Rule<V> r : rules) {
      out.add(new Rule<>(r.pattern(), f.apply(r.pattern(), r.value())));
    }
    return new PatternTable<>(out);
  }

  /** The rule deciding {@code dataset}, if any. */
  Optional<Rule<V>> match(DatasetPath dataset) {
    Objects.requireNonNull(dataset, "dataset");
    Rule<V> best = null;
    for (Rule<V> r : rules) {
      if (r.pattern().matchesExactly(dataset)) {
        return Optional.of(r);
      }
      if (r.pattern().matchesSubtree(dataset)
          && (best == null || r.pattern().depth() > best.pattern().depth())) {
        best = r;
      }
    }
    return Optional.ofNullable(best);
  }

  List<Rule<V>> rules() {
    return rules;
  }

  /** Those of {@code paths} that lie below no other of them. */
  static Set<DatasetPath> topmost(Collection<DatasetPath> paths) {
    Set<DatasetPath> out = new TreeSet<>();
    for (DatasetPath p : paths) {
      if (paths.stream().noneMatch(q -> !q.equals(p) && p.hasPrefix(q))) {
        out.add(p);
      }
    }
    return Set.copyOf(out);
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("{");
    for (Rule<V> r : rules) {
      if (b.length() > 1) {
        b.append(", ");
      }
      b.append(r.pattern().text()).append(": ").append(r.value());
    }
    return b.append('}').toString();
  }
}
