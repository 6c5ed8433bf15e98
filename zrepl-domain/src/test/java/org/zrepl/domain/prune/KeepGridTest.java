package org.zrepl.domain.prune;

import static java.time.Duration.ofHours;
import static java.time.Duration.ofMinutes;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.zrepl.domain.prune.Versions.ago;
import static org.zrepl.domain.prune.Versions.names;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.zrepl.domain.prune.KeepRule.KeepGrid;
import org.zrepl.domain.version.FilesystemVersion;

/** The grid rule, with the examples of zrepl's documentation and its retentiongrid tests. */
class KeepGridTest {

  private static List<String> notKept(String grid, String regex, List<FilesystemVersion> snaps) {
    KeepGrid rule = new KeepGrid(RetentionGrid.parse(grid), Pattern.compile(regex));
    return names(rule.notKept(snaps, PruneContext.none()));
  }

  /**
   * The worked example of zrepl's "Policy grid" documentation: grid {@code 1x1h(keep=all) | 2x2h |
   * 1x3h} and snapshots a..z, A..D; the result keeps a, b, c, j, p and z. The diagram there is
   * drawn to a 6-minute character grid and puts "a" 18 minutes after the axis origin although "a"
   * is "now"; here "a" is now and every other snapshot sits 3 minutes before its column, so that
   * each lies strictly inside the bucket the documentation assigns it to.
   */
  @Test
  void documentationExample() {
    String letters = "abcdefghijklmnopqrstuvwxyzABCD";
    List<FilesystemVersion> snaps = new ArrayList<>();
    for (int i = 0; i < letters.length(); i++) {
      Duration age = i == 0 ? Duration.ZERO : ofMinutes(18L * (i + 1) - 3);
      snaps.add(ago(String.valueOf(letters.charAt(i)), age));
    }
    List<String> destroyed = notKept("1x1h(keep=all) | 2x2h | 1x3h", ".*", snaps);
    List<String> kept =
        snaps.stream().map(FilesystemVersion::name).filter(n -> !destroyed.contains(n)).toList();
    assertThat(kept).containsExactly("a", "b", "c", "j", "p", "z");
  }

  /** zrepl's TestIntervalBoundariesAndAlignment: the younger edge is inclusive. */
  @Test
  void snapshotOnABucketEdgeFallsIntoTheOlderBucket() {
    List<FilesystemVersion> snaps =
        List.of(
            ago("1", Duration.ZERO), // 1st bucket, younger edge: inclusive
            ago("2", ofMinutes(10)), // 2nd bucket, younger edge
            ago("3", ofMinutes(20)), // 3rd bucket, younger edge
            ago("4", ofMinutes(30)), // 3rd bucket's older edge: exclusive, outside the grid
            ago("5", ofMinutes(40)));
    assertThat(notKept("3x10m", ".", snaps)).containsExactly("4", "5");
  }

  /** zrepl's TestKeepsOldestSnapsInABucket. */
  @Test
  void aBucketKeepsItsOldestSnapshots() {
    List<FilesystemVersion> snaps =
        List.of(
            ago("1", ofSeconds(4)),
            ago("2", ofSeconds(3)),
            ago("3", ofSeconds(2)),
            ago("4", ofSeconds(1)),
            ago("5", Duration.ZERO));
    assertThat(notKept("1x1m(keep=2)", ".", snaps)).containsExactly("3", "4", "5");
  }

  /** zrepl's TestRespectsKeepCountAll. */
  @Test
  void keepAllKeepsEveryMemberOfItsBucket() {
    List<FilesystemVersion> snaps =
        List.of(
            ago("a", Duration.ZERO),
            ago("b", ofSeconds(1)),
            ago("c", ofSeconds(2)),
            ago("d", ofSeconds(60)),
            ago("e", ofSeconds(61)));
    assertThat(notKept("1x1m(keep=all) | 1x1m", ".", snaps)).containsExactly("d");
  }

  /** zrepl's TestComplex, with "now" given by a snapshot instead of a separate argument. */
  @Test
  void complexGrid() {
    List<FilesystemVersion> snaps =
        List.of(
            ago("now", Duration.ZERO),
            ago("b1", ofMinutes(6)), // 1st bucket keeps all
            ago("b3", ofMinutes(8)),
            ago("b2", ofMinutes(9)),
            ago("a", ofMinutes(11)), // 2nd bucket keeps 1: the oldest, c
            ago("c", ofMinutes(19)),
            ago("foo", ofMinutes(25)), // 3rd bucket keeps 2
            ago("bar", ofMinutes(26)),
            ago("border", ofMinutes(30)), // younger edge of the 4th bucket, which keeps d
            ago("d", ofMinutes(75)),
            ago("q", ofMinutes(90)), // older edge of the 4th bucket: outside
            ago("e", ofMinutes(91)),
            ago("f", ofHours(2)));
    assertThat(notKept("1x10m(keep=all) | 1x10m | 1x10m(keep=2) | 1x1h", ".", snaps))
        .containsExactly("a", "border", "q", "e", "f");
  }

  @Test
  void nonMatchingSnapshotsAreNotKeptAndDoNotMoveNow() {
    List<FilesystemVersion> snaps =
        List.of(
            ago("manual_young", Duration.ZERO), // youngest overall, but not matching
            ago("zrepl_1", ofHours(1)), // youngest matching: "now"
            ago("zrepl_2", ofHours(1).plusMinutes(30)),
            ago("zrepl_3", ofHours(2).plusMinutes(30)));
    // now = zrepl_1: bucket 1 holds zrepl_1 and zrepl_2 and keeps the older, zrepl_2; bucket 2
    // holds zrepl_3. (With now = manual_young, zrepl_3 would fall off the grid instead.)
    assertThat(notKept("2x1h", "^zrepl_", snaps)).containsExactly("manual_young", "zrepl_1");
  }

  @Test
  void noMatchingSnapshotMeansNothingIsKept() {
    List<FilesystemVersion> snaps = List.of(ago("a", Duration.ZERO), ago("b", ofMinutes(1)));
    assertThat(notKept("1x1h(keep=all)", "^zrepl_", snaps)).containsExactly("a", "b");
    assertThat(notKept("1x1h(keep=all)", "^zrepl_", List.of())).isEmpty();
  }

  @Test
  void theRegexIsAnUnanchoredSearchLikeGos() {
    List<FilesystemVersion> snaps = List.of(ago("x_zrepl_y", Duration.ZERO));
    assertThat(notKept("1x1h", "zrepl", snaps)).isEmpty();
    assertThat(notKept("1x1h", "^zrepl", snaps)).containsExactly("x_zrepl_y");
  }

  @Test
  void equalCreationTimesAreOrderedByCreateTxg() {
    FilesystemVersion older = FilesystemVersion.snapshot("z_first", 1, 5, Versions.T0);
    FilesystemVersion newer = FilesystemVersion.snapshot("a_second", 2, 6, Versions.T0);
    KeepGrid rule = new KeepGrid(RetentionGrid.parse("1x1h"), Pattern.compile(".+"));
    assertThat(names(rule.notKept(List.of(newer, older), PruneContext.none())))
        .containsExactly("a_second");
  }

  @Test
  void bookmarksAreIgnored() {
    List<FilesystemVersion> versions =
        Versions.versions("@a,1,0", "#a,1,0", "#old,3,-100000", "@b,2,1");
    KeepGrid rule = new KeepGrid(RetentionGrid.parse("1x1h"), Pattern.compile(".+"));
    assertThat(rule.notKept(versions, PruneContext.none()))
        .extracting(FilesystemVersion::relativeName)
        .containsExactly("@b");
  }
}
