package org.zrepl.domain.prune;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.zrepl.domain.version.FilesystemVersion;

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
   * Whether this rule keeps each of {@code snapshots} (snapshots of one filesystem, no bookmarks,
   * in any order): element {@code i} of the result is about element {@code i} of the list. The
   * planner's hot path: no set of versions is built, so that planning 10,000 filesystems stays
   * cheap.
   */
  boolean[] keeps(List<FilesystemVersion> snapshots, PruneContext context);

  /**
   * The snapshots of one filesystem that this rule does <em>not</em> keep, in input order.
   * Bookmarks in {@code versions} are ignored: they are never returned, since zrepl never prunes
   * them.
   */
  default List<FilesystemVersion> notKept(List<FilesystemVersion> versions, PruneContext context) {
    List<FilesystemVersion> snapshots = snapshotsOnly(versions);
    boolean[] kept = keeps(snapshots, context);
    List<FilesystemVersion> out = new ArrayList<>(snapshots.size());
    for (int i = 0; i < kept.length; i++) {
      if (!kept[i]) {
        out.add(snapshots.get(i));
      }
    }
    return List.copyOf(out);
  }

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
    public boolean[] keeps(List<FilesystemVersion> snapshots, PruneContext context) {
      int[] matching = new int[snapshots.size()];
      int m = 0;
      Matcher matcher = regex.matcher("");
      for (int i = 0; i < snapshots.size(); i++) { // each name through the regex once
        if (matcher.reset(snapshots.get(i).name()).find()) {
          matching[m++] = i;
        }
      }
      boolean[] kept = new boolean[snapshots.size()];
      grid.keep(snapshots, Arrays.copyOf(matching, m), kept);
      return kept;
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

    /** Youngest first: by creation, then by name descending, as zrepl sorts for last_n. */
    private static final Comparator<FilesystemVersion> YOUNGEST_FIRST =
        Comparator.comparing(FilesystemVersion::creation)
            .thenComparing(FilesystemVersion::name)
            .reversed();

    @Override
    public boolean[] keeps(List<FilesystemVersion> snapshots, PruneContext context) {
      boolean[] kept = new boolean[snapshots.size()];
      List<Integer> matching = new ArrayList<>(snapshots.size());
      Optional<Matcher> matcher = regex.map(r -> r.matcher(""));
      for (int i = 0; i < snapshots.size(); i++) {
        if (matcher.isEmpty() || matcher.get().reset(snapshots.get(i).name()).find()) {
          matching.add(i);
        }
      }
      if (matching.size() > count) {
        matching.sort((a, b) -> YOUNGEST_FIRST.compare(snapshots.get(a), snapshots.get(b)));
      }
      for (int j = 0; j < Math.min(count, matching.size()); j++) {
        kept[matching.get(j)] = true;
      }
      return kept;
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
    public boolean[] keeps(List<FilesystemVersion> snapshots, PruneContext context) {
      boolean[] kept = new boolean[snapshots.size()];
      Matcher matcher = regex.matcher("");
      for (int i = 0; i < kept.length; i++) {
        kept[i] = matcher.reset(snapshots.get(i).name()).find() != negate;
      }
      return kept;
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
   * kept as well. With {@code everyTarget} ({@code targets: all}, ours) the cursor is the oldest of
   * every target's cursor on the filesystem ({@link PruneContext#everyTargetCursor()}): a snapshot
   * counts as replicated only once every target this sender knows of has it.
   */
  record KeepNotReplicated(boolean keepSnapshotAtCursor, boolean everyTarget) implements KeepRule {

    /** zrepl's default: {@code keep_snapshot_at_cursor: true}, this job's cursor. */
    public KeepNotReplicated() {
      this(true, false);
    }

    /** zrepl's rule: this job's cursor. */
    public KeepNotReplicated(boolean keepSnapshotAtCursor) {
      this(keepSnapshotAtCursor, false);
    }

    @Override
    public String describe() {
      String d =
          keepSnapshotAtCursor ? "not_replicated" : "not_replicated keep_snapshot_at_cursor=false";
      return everyTarget ? d + " targets=all" : d;
    }

    /**
     * With no cursor known, keeps everything (zrepl refuses to prune such a filesystem at all).
     * Otherwise the cursor's position in this list is the snapshot with the cursor's guid if
     * present (so that the rule also works on a receiver, whose createtxgs belong to another pool),
     * else the cursor's own createtxg. Snapshots older than that position are replicated and not
     * kept; the snapshot at the cursor is not kept only without {@code keepSnapshotAtCursor};
     * everything else is kept.
     */
    @Override
    public boolean[] keeps(List<FilesystemVersion> snapshots, PruneContext context) {
      boolean[] kept = new boolean[snapshots.size()];
      Optional<ReplicationCursor> c = everyTarget ? context.everyTargetCursor() : context.cursor();
      if (c.isEmpty()) {
        Arrays.fill(kept, true);
        return kept;
      }
      ReplicationCursor cursor = c.get();
      long position = cursor.createTxg();
      for (FilesystemVersion v : snapshots) {
        if (v.guid() == cursor.guid()) {
          position = v.createTxg();
          break;
        }
      }
      for (int i = 0; i < kept.length; i++) {
        FilesystemVersion v = snapshots.get(i);
        boolean atCursor = v.guid() == cursor.guid();
        kept[i] = !(v.createTxg() < position || (atCursor && !keepSnapshotAtCursor));
      }
      return kept;
    }
  }

  private static List<FilesystemVersion> snapshotsOnly(List<FilesystemVersion> versions) {
    List<FilesystemVersion> out = new ArrayList<>(versions.size());
    for (FilesystemVersion v : versions) {
      if (v.isSnapshot()) {
        out.add(v);
      }
    }
    return out;
  }

  private static boolean samePattern(Pattern a, Pattern b) {
    return a.pattern().equals(b.pattern()) && a.flags() == b.flags();
  }
}
