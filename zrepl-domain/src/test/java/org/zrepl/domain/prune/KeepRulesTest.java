package org.zrepl.domain.prune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.zrepl.domain.prune.Versions.names;
import static org.zrepl.domain.prune.Versions.versions;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.zrepl.domain.prune.KeepRule.KeepLastN;
import org.zrepl.domain.prune.KeepRule.KeepNotReplicated;
import org.zrepl.domain.prune.KeepRule.KeepRegex;
import org.zrepl.domain.version.FilesystemVersion;

/** last_n, regex and not_replicated; the grid has its own test. */
class KeepRulesTest {

  // zrepl's keep_last_n_test input "s1": names 1..5, created at minute 10, 20, 15, 30, 30
  private static final List<FilesystemVersion> S1 =
      versions("@1,1,10", "@2,2,20", "@3,3,15", "@4,4,30", "@5,5,30");

  private static List<String> notKept(KeepRule rule, List<FilesystemVersion> vs) {
    return names(rule.notKept(vs, PruneContext.none()));
  }

  private static List<String> notKept(
      KeepRule rule, List<FilesystemVersion> vs, ReplicationCursor cursor) {
    return names(rule.notKept(vs, PruneContext.withCursor(cursor)));
  }

  private static Optional<Pattern> re(String regex) {
    return Optional.of(Pattern.compile(regex));
  }

  @Test
  void lastNKeepsTheYoungest() {
    assertThat(notKept(new KeepLastN(2), S1)).containsExactly("1", "2", "3");
    assertThat(notKept(new KeepLastN(4), S1)).containsExactly("1");
    assertThat(notKept(new KeepLastN(100), S1)).isEmpty();
    assertThat(notKept(new KeepLastN(100), List.of())).isEmpty();
  }

  @Test
  void lastNBreaksCreationTiesByNameDescending() {
    // zrepl's keep1OfTwoWithSameTime: 4 and 5 share a creation time, "5" sorts first
    assertThat(notKept(new KeepLastN(1), S1)).containsExactly("1", "2", "3", "4");
  }

  @Test
  void lastNOnlyCountsAndKeepsMatchingSnapshots() {
    List<FilesystemVersion> vs =
        versions("@a1,1,10", "@b1,2,11", "@a2,3,20", "@b2,4,21", "@a3,5,30", "@b3,6,31");
    assertThat(notKept(new KeepLastN(2, re("^a")), vs)).containsExactly("a1", "b1", "b2", "b3");
    // zrepl's keep_more_than_matching: more count than matches still does not keep non-matches
    List<FilesystemVersion> few = versions("@a1,1,10", "@b1,2,11", "@a2,3,12");
    assertThat(notKept(new KeepLastN(4, re("a")), few)).containsExactly("b1");
  }

  @Test
  void regexKeepsMatchesOrWithNegateNonMatches() {
    List<FilesystemVersion> vs = versions("@zrepl_1,1,0", "@manual_x,2,1", "@x_zrepl_y,3,2");
    assertThat(notKept(new KeepRegex(Pattern.compile("^manual_"), false), vs))
        .containsExactly("zrepl_1", "x_zrepl_y");
    assertThat(notKept(new KeepRegex(Pattern.compile("^zrepl_"), true), vs))
        .containsExactly("zrepl_1");
    // unanchored, like Go's MatchString
    assertThat(notKept(new KeepRegex(Pattern.compile("zrepl"), false), vs))
        .containsExactly("manual_x");
  }

  @Test
  void notReplicatedWithoutCursorKeepsEverything() {
    assertThat(notKept(new KeepNotReplicated(), S1)).isEmpty();
    assertThat(notKept(new KeepNotReplicated(false), S1)).isEmpty();
  }

  @Test
  void notReplicatedKeepsWhatTheCursorHasNotReached() {
    List<FilesystemVersion> vs = versions("@a,10,0", "@b,20,1", "@c,30,2", "@d,40,3");
    ReplicationCursor atB = new ReplicationCursor(20, 20);
    assertThat(notKept(new KeepNotReplicated(), vs, atB)).containsExactly("a");
    assertThat(notKept(new KeepNotReplicated(false), vs, atB)).containsExactly("a", "b");
  }

  @Test
  void notReplicatedFindsTheCursorByGuidOnAReceiver() {
    // receiver pool: different createtxgs, same guids as the sender's snapshots
    List<FilesystemVersion> receiver =
        List.of(
            FilesystemVersion.snapshot("a", 10, 500, Versions.T0),
            FilesystemVersion.snapshot("b", 20, 501, Versions.T0.plusSeconds(60)),
            FilesystemVersion.snapshot("c", 30, 502, Versions.T0.plusSeconds(120)));
    ReplicationCursor senderCursorAtB = new ReplicationCursor(20, 20);
    assertThat(notKept(new KeepNotReplicated(false), receiver, senderCursorAtB))
        .containsExactly("a", "b");
  }

  @Test
  void notReplicatedFallsBackToTheCursorTxgWhenItsSnapshotIsGone() {
    // the cursor bookmark outlives its snapshot (b, txg 20, was destroyed)
    List<FilesystemVersion> vs = versions("@a,10,0", "@c,30,2", "#zrepl_CURSOR,20,1");
    ReplicationCursor cursor = new ReplicationCursor(20, 20);
    assertThat(notKept(new KeepNotReplicated(), vs, cursor)).containsExactly("a");
  }

  @Test
  void rulesNeverReturnBookmarks() {
    List<FilesystemVersion> vs = versions("#a,1,0", "@b,2,1", "#c,3,2");
    ReplicationCursor cursor = new ReplicationCursor(3, 3);
    assertThat(new KeepRegex(Pattern.compile("nothing"), false).notKept(vs, PruneContext.none()))
        .extracting(FilesystemVersion::relativeName)
        .containsExactly("@b");
    assertThat(new KeepLastN(1, re("nothing")).notKept(vs, PruneContext.none()))
        .extracting(FilesystemVersion::relativeName)
        .containsExactly("@b");
    assertThat(new KeepNotReplicated(false).notKept(vs, PruneContext.withCursor(cursor)))
        .extracting(FilesystemVersion::relativeName)
        .containsExactly("@b");
  }
}
