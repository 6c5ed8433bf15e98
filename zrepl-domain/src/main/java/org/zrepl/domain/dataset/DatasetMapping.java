package org.zrepl.domain.dataset;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Maps source datasets to target datasets with zrepl's pattern language, as in a {@code local}
 * job's {@code "zroot<": "storage/backups/zroot"}. The value of each pattern is a target dataset or
 * {@code !} (omit). The deciding pattern is chosen as in {@link DatasetFilter}. Then:
 *
 * <ul>
 *   <li>an exact pattern {@code foo -> t} maps {@code foo} to {@code t};
 *   <li>a subtree pattern {@code foo< -> t} maps {@code foo/x/y} to {@code t/x/y} and {@code foo}
 *       to {@code t};
 *   <li>the bare {@code < -> t} appends the whole source: {@code zroot/var -> t/zroot/var}. Unlike
 *       zrepl, which drops the pool name here, this keeps distinct sources on distinct targets.
 * </ul>
 *
 * Datasets no pattern matches, or matched by a {@code !} pattern, are not mapped.
 */
public final class DatasetMapping {

  private static final String OMIT = "!";

  /** A value per pattern: the target, or empty for {@code !}. */
  private final PatternTable<Optional<DatasetPath>> table;

  private DatasetMapping(PatternTable<Optional<DatasetPath>> table) {
    this.table = table;
  }

  /**
   * Parses {@code rules} (pattern to target or {@code !}). Throws {@link IllegalArgumentException}
   * quoting the pattern for a malformed pattern or target.
   */
  public static DatasetMapping of(Map<String, String> rules) {
    return ofEntries(List.copyOf(rules.entrySet()));
  }

  /** Like {@link #of(Map)} but from entries as written, so that duplicates are reported. */
  public static DatasetMapping ofEntries(List<? extends Map.Entry<String, String>> rules) {
    return new DatasetMapping(PatternTable.parse(rules, DatasetMapping::parseTarget));
  }

  private static Optional<DatasetPath> parseTarget(String pattern, String value) {
    if (OMIT.equals(value)) {
      return Optional.empty();
    }
    try {
      return Optional.of(DatasetPath.of(value));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "invalid target '"
              + value
              + "' for filesystem pattern '"
              + pattern
              + "': expected a dataset path or '!': "
              + e.getMessage(),
          e);
    }
  }

  /**
   * Where {@code source} maps to, or empty when it is omitted or unmapped. Throws {@link
   * IllegalArgumentException} if the resulting name would exceed ZFS's length limit.
   */
  public Optional<DatasetPath> map(DatasetPath source) {
    return table.match(source).flatMap(rule -> target(rule, source));
  }

  private static Optional<DatasetPath> target(
      PatternTable.Rule<Optional<DatasetPath>> rule, DatasetPath source) {
    return rule.value().map(t -> t.append(rule.pattern().remainder(source)));
  }

  /**
   * The datasets this mapping selects: those whose deciding pattern has a target. Omitted and
   * unmapped datasets are not selected.
   */
  public DatasetFilter asFilter() {
    return DatasetFilter.fromTable(table.mapValues((pattern, target) -> target.isPresent()));
  }

  /**
   * The topmost datasets at or below which every source this mapping selects and every target it
   * maps to lie, or empty when a pattern ({@code <}) selects every pool. A listing of these roots
   * holds everything a job with this mapping replicates or prunes.
   */
  public Optional<Set<DatasetPath>> reach() {
    Set<DatasetPath> all = new TreeSet<>();
    for (PatternTable.Rule<Optional<DatasetPath>> r : table.rules()) {
      if (r.value().isEmpty()) {
        continue;
      }
      if (r.pattern().path().isEmpty()) {
        return Optional.empty();
      }
      all.add(r.pattern().path().get());
      all.add(r.value().get());
    }
    return Optional.of(PatternTable.topmost(all));
  }

  /** Which pattern decides {@code source}, and where it maps to. */
  public Decision decide(DatasetPath source) {
    Optional<PatternTable.Rule<Optional<DatasetPath>>> rule = table.match(source);
    Optional<DatasetPath> target = rule.flatMap(r -> target(r, source));
    return new Decision(source, rule.map(r -> r.pattern().text()), target.isPresent(), target);
  }

  @Override
  public String toString() {
    return "DatasetMapping" + table.mapValues((p, t) -> t.map(DatasetPath::toString).orElse(OMIT));
  }
}
