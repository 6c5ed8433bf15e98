package org.zrepl.domain.prune;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One of zrepl's pruning keep rules. A snapshot is destroyed only if no rule of a side keeps it.
 *
 * <p>Regular expressions are matched like Go's {@code Regexp.MatchString}: unanchored, i.e. with
 * {@link java.util.regex.Matcher#find()}. Records holding a {@link Pattern} compare patterns by
 * their source text and flags, so that two rules built from the same configuration are equal.
 */
public sealed interface KeepRule
    permits KeepRule.KeepGrid, KeepRule.KeepLastN, KeepRule.KeepRegex, KeepRule.KeepNotReplicated {

  /** A one-line description in zrepl's configuration vocabulary, for dry-run output. */
  String describe();

  /**
   * {@code type: grid}: fits the snapshots matching {@code regex} into {@code grid}, "now" being
   * the youngest of them; snapshots not matching are not kept by this rule.
   */
  record KeepGrid(RetentionGrid grid, Pattern regex) implements KeepRule {
    public KeepGrid {
      Objects.requireNonNull(grid, "grid");
      Objects.requireNonNull(regex, "regex");
      if (regex.pattern().isEmpty()) {
        throw new IllegalArgumentException("grid regex must not be empty");
      }
    }

    @Override
    public String describe() {
      return "grid " + grid + " regex=" + regex.pattern();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof KeepGrid k && grid.equals(k.grid) && samePattern(regex, k.regex);
    }

    @Override
    public int hashCode() {
      return Objects.hash(grid, regex.pattern(), regex.flags());
    }
  }

  /**
   * {@code type: last_n}: keeps the {@code count} youngest snapshots among those matching the
   * optional {@code regex} (all snapshots if absent).
   */
  record KeepLastN(int count, Optional<Pattern> regex) implements KeepRule {
    public KeepLastN {
      Objects.requireNonNull(regex, "regex");
      if (count <= 0) {
        throw new IllegalArgumentException("count must be positive, got " + count);
      }
    }

    public KeepLastN(int count) {
      this(count, Optional.empty());
    }

    @Override
    public String describe() {
      return "last_n count=" + count + regex.map(r -> " regex=" + r.pattern()).orElse("");
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof KeepLastN k
          && count == k.count
          && regex.isPresent() == k.regex.isPresent()
          && (regex.isEmpty() || samePattern(regex.get(), k.regex.get()));
    }

    @Override
    public int hashCode() {
      return Objects.hash(count, regex.map(Pattern::pattern), regex.map(Pattern::flags));
    }
  }

  /**
   * {@code type: regex}: keeps the snapshots whose name matches {@code regex}, or with {@code
   * negate} those whose name does not match.
   */
  record KeepRegex(Pattern regex, boolean negate) implements KeepRule {
    public KeepRegex {
      Objects.requireNonNull(regex, "regex");
    }

    @Override
    public String describe() {
      return "regex " + (negate ? "negate " : "") + regex.pattern();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof KeepRegex k && negate == k.negate && samePattern(regex, k.regex);
    }

    @Override
    public int hashCode() {
      return Objects.hash(regex.pattern(), regex.flags(), negate);
    }
  }

  /**
   * {@code type: not_replicated}: keeps the snapshots the sender's replication cursor has not
   * reached yet. With {@code keepSnapshotAtCursor} (zrepl's default) the snapshot at the cursor is
   * kept as well.
   */
  record KeepNotReplicated(boolean keepSnapshotAtCursor) implements KeepRule {

    /** zrepl's default: {@code keep_snapshot_at_cursor: true}. */
    public KeepNotReplicated() {
      this(true);
    }

    @Override
    public String describe() {
      return keepSnapshotAtCursor
          ? "not_replicated"
          : "not_replicated keep_snapshot_at_cursor=false";
    }
  }

  private static boolean samePattern(Pattern a, Pattern b) {
    return a.pattern().equals(b.pattern()) && a.flags() == b.flags();
  }
}
