package org.zrepl.domain.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Properties of the precedence rule shared by {@link DatasetFilter} and {@link DatasetMapping}. */
class DatasetPatternPrecedenceTest {

  @Provide
  Arbitrary<DatasetPath> paths() {
    return Arbitraries.of("a", "b", "zroot", "var", "db")
        .list()
        .ofMinSize(1)
        .ofMaxSize(5)
        .map(DatasetPath::new);
  }

  /** The subtree pattern for {@code p}'s prefix of {@code depth} components; 0 is the bare one. */
  private static String subtreePattern(DatasetPath p, int depth) {
    return String.join("/", p.components().subList(0, depth)) + "<";
  }

  @Property
  void exactPatternBeatsEverySubtreePattern(
      @ForAll("paths") DatasetPath p,
      @ForAll @Size(max = 6) Set<@IntRange(min = 0, max = 5) Integer> depths,
      @ForAll boolean exactFirst,
      @ForAll boolean reverse) {
    Map<String, String> rules = new LinkedHashMap<>();
    List<Map.Entry<String, String>> entries = new ArrayList<>();
    for (int d : depths) {
      if (d <= p.length()) {
        entries.add(Map.entry(subtreePattern(p, d), "sub" + d));
      }
    }
    Map.Entry<String, String> exact = Map.entry(p.toString(), "exact");
    entries.add(exactFirst ? 0 : entries.size(), exact);
    if (reverse) {
      Collections.reverse(entries);
    }
    entries.forEach(e -> rules.put(e.getKey(), e.getValue()));

    assertThat(DatasetMapping.of(rules).map(p)).contains(DatasetPath.of("exact"));

    Map<String, String> filterRules = new LinkedHashMap<>();
    rules.forEach((k, v) -> filterRules.put(k, v.equals("exact") ? "!" : "ok"));
    assertThat(DatasetFilter.of(filterRules).matches(p)).isFalse();
    assertThat(DatasetFilter.of(filterRules).decide(p).pattern()).contains(p.toString());
  }

  @Property
  void longestMatchingSubtreePatternWins(
      @ForAll("paths") DatasetPath p,
      @ForAll("paths") DatasetPath unrelated,
      @ForAll @Size(min = 1, max = 6) Set<@IntRange(min = 0, max = 5) Integer> depths,
      @ForAll boolean reverse) {
    List<Integer> usable = new ArrayList<>();
    for (int d : depths) {
      if (d <= p.length()) {
        usable.add(d);
      }
    }
    Assume.that(!usable.isEmpty());
    if (reverse) {
      Collections.reverse(usable);
    }
    Map<String, String> rules = new LinkedHashMap<>();
    for (int d : usable) {
      rules.put(subtreePattern(p, d), "t" + d);
    }
    // A pattern that does not contain p must never win, however long it is.
    if (!p.hasPrefix(unrelated)) {
      rules.putIfAbsent(unrelated + "<", "unrelated");
    }
    int longest = Collections.max(usable);

    Optional<DatasetPath> mapped = DatasetMapping.of(rules).map(p);

    List<String> remainder =
        longest == 0 ? p.components() : p.components().subList(longest, p.length());
    assertThat(mapped).contains(DatasetPath.of("t" + longest).append(remainder));
    assertThat(DatasetMapping.of(rules).decide(p).pattern()).contains(subtreePattern(p, longest));
  }

  @Property
  void bareSubtreeMappingIsInjective(
      @ForAll("paths") DatasetPath a, @ForAll("paths") DatasetPath b) {
    Assume.that(!a.equals(b));
    DatasetMapping m = DatasetMapping.of(Map.of("<", "storage/backups/app-srv"));
    Optional<DatasetPath> ma = m.map(a);
    Optional<DatasetPath> mb = m.map(b);
    assertThat(ma).isPresent();
    assertThat(mb).isPresent();
    assertThat(ma).isNotEqualTo(mb);
  }

  @Property
  void filterOrderIsIrrelevant(
      @ForAll("paths") DatasetPath probe,
      @ForAll @Size(max = 6) List<@net.jqwik.api.From("paths") DatasetPath> subtrees,
      @ForAll @Size(max = 6) List<Boolean> values) {
    Map<String, String> forward = new LinkedHashMap<>();
    for (int i = 0; i < subtrees.size(); i++) {
      boolean v = i < values.size() && values.get(i);
      forward.putIfAbsent(subtrees.get(i) + (i % 2 == 0 ? "<" : ""), v ? "ok" : "!");
    }
    List<Map.Entry<String, String>> backward = new ArrayList<>(forward.entrySet());
    Collections.reverse(backward);
    assertThat(DatasetFilter.ofEntries(backward).matches(probe))
        .isEqualTo(DatasetFilter.of(forward).matches(probe));
  }
}
