package org.zrepl.domain.dataset;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Selects datasets with zrepl's {@code filesystems} patterns: {@code "zroot<": "ok"}, {@code
 * "zroot/tmp<": "!"}. Each pattern maps to {@code ok}/{@code true} (include) or {@code !}/{@code
 * false} (exclude); {@code true}/{@code false} are case-insensitive. The deciding pattern for a
 * dataset is an exact pattern naming it, else the longest subtree pattern containing it; a dataset
 * no pattern matches is excluded.
 */
public final class DatasetFilter {

  private final PatternTable<Boolean> table;

  private DatasetFilter(PatternTable<Boolean> table) {
    this.table = table;
  }

  /**
   * Parses {@code rules} (pattern to value, in the order written). Throws {@link
   * IllegalArgumentException} quoting the pattern for a malformed pattern or value.
   */
  public static DatasetFilter of(Map<String, String> rules) {
    return ofEntries(List.copyOf(rules.entrySet()));
  }

  /**
   * Like {@link #of(Map)} but from entries as written, so that a pattern written twice is reported
   * instead of silently overwritten.
   */
  public static DatasetFilter ofEntries(List<? extends Map.Entry<String, String>> rules) {
    return new DatasetFilter(PatternTable.parse(rules, DatasetFilter::parseValue));
  }

  static DatasetFilter fromTable(PatternTable<Boolean> table) {
    return new DatasetFilter(table);
  }

  private static Boolean parseValue(String pattern, String value) {
    if (value != null) {
      if (value.equals("ok") || value.toLowerCase(Locale.ROOT).equals("true")) {
        return true;
      }
      if (value.equals("!") || value.toLowerCase(Locale.ROOT).equals("false")) {
        return false;
      }
    }
    throw new IllegalArgumentException(
        "invalid value '"
            + value
            + "' for filesystem pattern '"
            + pattern
            + "': expected 'ok', 'true', '!' or 'false'");
  }

  /** True iff {@code dataset} is included. */
  public boolean matches(DatasetPath dataset) {
    return table.match(dataset).map(PatternTable.Rule::value).orElse(false);
  }

  /**
   * The datasets the rules name, included or excluded, in the order written: each pattern without
   * its {@code <} (zrepl's "user specified datasets"). The bare {@code <} names no dataset.
   */
  public Set<DatasetPath> namedDatasets() {
    Set<DatasetPath> out = new LinkedHashSet<>();
    for (PatternTable.Rule<Boolean> r : table.rules()) {
      r.pattern().path().ifPresent(out::add);
    }
    return out;
  }

  /**
   * The topmost datasets the rules name (included or excluded), or empty when the bare {@code <}
   * pattern decides for every pool. Every dataset the filter includes, and every one it names, lies
   * at or below one of them, so a listing of these roots answers {@link #matches} and {@link
   * #unmatchedNames} as a listing of every pool does.
   */
  public Optional<Set<DatasetPath>> reach() {
    Set<DatasetPath> named = new TreeSet<>();
    for (PatternTable.Rule<Boolean> r : table.rules()) {
      if (r.pattern().path().isEmpty()) {
        return Optional.empty();
      }
      named.add(r.pattern().path().get());
    }
    return Optional.of(PatternTable.topmost(named));
  }

  /**
   * The datasets of {@link #namedDatasets()} that are not in {@code listed}: rules that name no
   * existing dataset, so they decide nothing for that name (a typo, or a dataset destroyed since
   * the configuration was written).
   */
  public Set<DatasetPath> unmatchedNames(Collection<DatasetPath> listed) {
    Set<DatasetPath> present = new HashSet<>(listed);
    Set<DatasetPath> out = new LinkedHashSet<>();
    for (DatasetPath named : namedDatasets()) {
      if (!present.contains(named)) {
        out.add(named);
      }
    }
    return out;
  }

  /** Which pattern decides {@code dataset}, and how. */
  public Decision decide(DatasetPath dataset) {
    Optional<PatternTable.Rule<Boolean>> rule = table.match(dataset);
    return new Decision(
        dataset,
        rule.map(r -> r.pattern().text()),
        rule.map(PatternTable.Rule::value).orElse(false),
        Optional.empty());
  }

  @Override
  public String toString() {
    return "DatasetFilter" + table;
  }
}
